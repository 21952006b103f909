/**
 * Every HTTP endpoint is declared as a RouteDefinition: its path, who may call it, the zod
 * schemas of its input (which are also its OpenAPI description) and its handler. The route
 * table drives the Express router, the OpenAPI document and the authorisation-matrix test, so
 * a route cannot exist without an access rule.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { ApiScope } from '../api-keys/api-key-scopes';
import type { Actor } from '../audit/audit-trail';
import type { StaffRole } from '../generated/prisma/enums';
import type { Services } from '../services';
import type { ProblemCode } from './problem';

export type Access =
  | { kind: 'public' }
  | { kind: 'staff'; roles: readonly StaffRole[]; scopes?: readonly ApiScope[] }
  | { kind: 'subject' }
  | { kind: 'licence' };

export const publicAccess: Access = { kind: 'public' };
export const staffOnly = (...roles: StaffRole[]): Access => ({ kind: 'staff', roles });

/**
 * Also admits API keys holding one of `scopes`. A route only the privacy officer or the auditor
 * may use can never take keys (docs/architecture.md §1: the vendor's systems get ids and states, not the
 * privacy officer's tools): this throws when the route table is built.
 */
export function orApiKey(access: Access, ...scopes: ApiScope[]): Access {
  if (access.kind !== 'staff' || scopes.length === 0) throw new Error('orApiKey: a staff route and at least one scope');
  if (!access.roles.some((role) => role === 'support' || role === 'admin')) throw new Error('orApiKey: API keys never reach privacy-officer or auditor routes');
  return { ...access, scopes };
}

/**
 * Who calls a staff route: a staff user (roles) or an API key (scopes, no roles). Handlers record
 * `actor` in the audit trail, so a key's actions are audited as the key's.
 */
export interface StaffPrincipal { kind: 'staff' | 'api_key'; id: string; roles: StaffRole[]; scopes: ApiScope[]; actor: Actor }
export interface SubjectPrincipal { kind: 'subject'; contactId: string }

export interface RouteContext<B = unknown, Q = unknown, P = unknown> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
  services: Services;
  requestId: string;
  /** present on staff routes: a staff user or an API key */
  staff: StaffPrincipal;
  /** present on subject routes */
  subject: SubjectPrincipal;
  /** the X-Purpose header, trimmed, if given */
  purpose: string | null;
}

export interface RouteResponse {
  status: number;
  description: string;
  schema?: z.ZodType;
  /** an example of the body (checked against `schema` by the OpenAPI test) */
  example?: unknown;
  /** another media type than application/json (e.g. text/html) */
  contentType?: string;
  /**
   * A JSON Schema published on its own (e.g. the subject export): placed in the document's
   * components under `name` and referenced instead of `schema`, which still checks responses at run time.
   */
  published?: { name: string; schema: Record<string, unknown> };
}

export interface HandlerResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteDefinition<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** body size limit, default 64 kB */
  bodyLimit?: string;
  /**
   * The success status and what it returns, for OpenAPI. Every route has one, with a schema unless
   * the status has no body (204); tests check real responses against it (config.checkResponses).
   */
  response?: RouteResponse;
  /** The handler reads personal data: the X-Purpose header is declared (and recorded in the audit trail). */
  readsPersonalData?: boolean;
  /** The route is rate-limited: 429 with Retry-After and RateLimit headers is declared. */
  rateLimited?: boolean;
  /**
   * false: success bodies go out without an ETag. Express hashes every body it sends for one; on a
   * POST answered with `Cache-Control: no-store` nothing can ever revalidate it.
   */
  etag?: false;
  /** Problem codes the route can answer beyond those implied by its access and inputs (e.g. CONFLICT). */
  problems?: readonly ProblemCode[];
  /** An example request body (checked against `body` by the OpenAPI test). */
  example?: unknown;
  handler(ctx: RouteContext<z.infer<B>, z.infer<Q>, z.infer<P>>): Promise<HandlerResult | void>;
}

/** Keeps the generic parameters while returning the plain type the route table holds. */
export function defineRoute<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType>(
  route: RouteDefinition<B, Q, P>,
): RouteDefinition {
  return route as unknown as RouteDefinition;
}
