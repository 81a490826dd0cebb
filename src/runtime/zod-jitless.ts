/**
 * Imported (for its effect) by every module that validates with zod, before its schemas are used.
 * zod's JIT compiles object validators with `new Function`, which the built site's
 * Content-Security-Policy forbids (no 'unsafe-eval'), and its probe for that logs a CSP violation.
 * Jitless zod validates the same way without generating code. The setting is global to a realm, so
 * each realm (page, worker) that loads zod gets it through these imports.
 */
import { z } from 'zod';

z.config({ jitless: true });
