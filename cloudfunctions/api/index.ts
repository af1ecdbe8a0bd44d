// Deployed entry of the `api` function; esbuild bundles it (wx-server-sdk stays external) into index.js.
export { main } from '../../src/server/api'
