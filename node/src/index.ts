// Lambda entry point (handler: index.handler). Exports nothing else.
export { handler } from './handler';
