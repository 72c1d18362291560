// Stylesheets are bundled by esbuild (web/build.mjs); the import only orders them.
declare module '*.css';
