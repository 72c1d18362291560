import zapier, { defineApp } from 'zapier-platform-core';
import authentication from './authentication.js';
import { afters, befores } from './middleware.js';
import { buildTriggers } from './triggers/index.js';
import { version } from './version.js';

export default defineApp({
  version,
  platformVersion: zapier.version,
  authentication,
  beforeRequest: [...befores],
  afterResponse: [...afters],
  triggers: buildTriggers(),
});
