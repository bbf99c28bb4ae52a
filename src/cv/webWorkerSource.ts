/**
 * The bundled source of src/cv/webWorker.ts, as one script. This file is the placeholder that
 * TypeScript compiles; `npm run build` replaces its JavaScript in dist/ with the bundle
 * (scripts/build-web-worker.mjs). Empty here: without the bundle, jobs run in the calling thread.
 */
export const WEB_WORKER_SOURCE: string = "";
