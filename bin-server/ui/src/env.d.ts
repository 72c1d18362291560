// Stylesheets are bundled by esbuild (ui/build.mjs); the import only orders them.
declare module '*.css';
