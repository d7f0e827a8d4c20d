import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/**
 * Adds `.openapi()` to zod. zod 4 copies prototype methods onto each schema when it is *created*, so this must
 * run before any schema that needs `.openapi()` is built: modules here import this file first. Contract
 * packages that name their schemas with `.openapi('X')` must import it (or call extendZodWithOpenApi) first too.
 * Idempotent.
 */
extendZodWithOpenApi(z);

export { z };
