/**
 * Turns on Node's on-disk cache of compiled modules (`module.enableCompileCache`, Node 22.1 and later;
 * nothing on Node 20): a run after the first skips most of the compilation of cdktf, the providers
 * and this project's code, about a tenth of a synth's CPU time on Node 22. The cache lives where Node
 * puts it (NODE_COMPILE_CACHE, else <tmpdir>/node-compile-cache); NODE_DISABLE_COMPILE_CACHE=1 turns it
 * off. Preloaded by ensure-built.js; the synth benchmark preloads it for its floor app too, so that
 * both run under the same conditions.
 */
'use strict';

const { enableCompileCache } = require('node:module');

if (typeof enableCompileCache === 'function') enableCompileCache();
