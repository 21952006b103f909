/**
 * The HTTP server of an Express app, whose requests and responses are born as Express's own.
 *
 * Express gives every request its methods by changing the prototype of Node's request and
 * response objects (`Object.setPrototypeOf(req, app.request)` in app.handle). Changing an object's
 * prototype after it was made costs more than the call: measured on a 2-core machine at an evenly
 * paced 1,450 req/s, a bare Express 5 route kept ≈ 3.4 MB alive through every young-generation
 * collection (a bare `http` handler ≈ 2 kB; the same `http` handler with only the two
 * setPrototypeOf calls added ≈ 2.3 MB), so each collection copied and promoted them: 4–9 ms pauses
 * 5–6 times a second, which set the p99 (bench/README.md, fourth pass; expressjs/express#5998).
 *
 * Node's server can make its requests and responses with other constructors (the
 * `IncomingMessage` and `ServerResponse` options): here they make them with app.request and
 * app.response as their prototypes from the start. Express's own call then sets the prototype an
 * object already has, which V8 returns from at once. Nothing else changes: the same objects, the
 * same prototype chain (app.request → Express's request → http.IncomingMessage.prototype).
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type express from 'express';

type NodeConstructor = (this: unknown, ...args: never[]) => void;

/**
 * A constructor that runs Node's `base` on a new object whose prototype is `prototype`. Node's
 * IncomingMessage and ServerResponse are plain functions, so they can run on an object made by
 * another constructor, as subclasses did before `class`. Measured: this form costs what a bare
 * `http` server costs per request; building the object with Reflect.construct(base, args, Made)
 * instead was as slow as the per-request setPrototypeOf it replaces (V8 takes a generic path
 * when the constructor and new.target differ).
 */
function withPrototype(base: NodeConstructor, prototype: object): NodeConstructor {
  function Made(this: unknown, ...args: never[]): void {
    base.apply(this, args);
  }
  Made.prototype = prototype;
  return Made;
}

/** Node would need `new` for a class: then the app's server is Node's default one. */
const isPlainFunction = (fn: unknown) => typeof fn === 'function' && !/^class\b/.test(Function.prototype.toString.call(fn));

export function createExpressServer(app: express.Express): http.Server {
  if (!isPlainFunction(IncomingMessage) || !isPlainFunction(ServerResponse)) return http.createServer(app);
  return http.createServer({
    IncomingMessage: withPrototype(IncomingMessage as unknown as NodeConstructor, app.request) as unknown as typeof IncomingMessage,
    ServerResponse: withPrototype(ServerResponse as unknown as NodeConstructor, app.response) as unknown as typeof ServerResponse,
  }, app);
}

/**
 * app.listen as Express 5 has it (the callback also hears a listen error), on createExpressServer.
 * createApp installs it, so main.ts, the tests and the benchmarks all listen the same way.
 */
export function listenWithExpressObjects(app: express.Express): express.Express['listen'] {
  return ((...args: unknown[]) => {
    const server = createExpressServer(app);
    const callback = args[args.length - 1];
    if (typeof callback === 'function') {
      let called = false;
      const once = (...callbackArgs: unknown[]) => { if (!called) { called = true; (callback as (...a: unknown[]) => void)(...callbackArgs); } };
      args[args.length - 1] = once;
      server.once('error', once);
    }
    return (server.listen as (...a: unknown[]) => http.Server)(...args);
  }) as express.Express['listen'];
}
