// `npm start`: build if anything changed (see build.mjs), then run the umhooks command in this
// same process, so an unchanged tree is serving after one Node start-up.
import { buildIfStale } from './build.mjs';

buildIfStale();
await import('../bin/umhooks.js');
