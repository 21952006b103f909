/**
 * Every HTTP endpoint is declared as a RouteDefinition: its path, who may call it, the zod
 * schemas of its input (which are also its OpenAPI description) and its handler. The route
 * table drives the Express router, the OpenAPI document and the authorisation-matrix test, so
 * a route cannot exist without an access rule.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { StaffRole } from '../generated/prisma/enums';
import type { Services } from '../services';

export type Access =
  | { kind: 'public' }
  | { kind: 'staff'; roles: readonly StaffRole[] }
  | { kind: 'subject' }
  | { kind: 'licence' };

export const publicAccess: Access = { kind: 'public' };
export const staffOnly = (...roles: StaffRole[]): Access => ({ kind: 'staff', roles });

export interface StaffPrincipal { kind: 'staff'; id: string; roles: StaffRole[] }
export interface SubjectPrincipal { kind: 'subject'; contactId: string }

export interface RouteContext<B = unknown, Q = unknown, P = unknown> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
  services: Services;
  requestId: string;
  /** present on staff routes */
  staff: StaffPrincipal;
  /** present on subject routes */
  subject: SubjectPrincipal;
  /** the X-Purpose header, trimmed, if given */
  purpose: string | null;
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
  /** the success status and what it returns, for OpenAPI */
  response?: { status: number; description: string; schema?: z.ZodType };
  handler(ctx: RouteContext<z.infer<B>, z.infer<Q>, z.infer<P>>): Promise<HandlerResult | void>;
}

/** Keeps the generic parameters while returning the plain type the route table holds. */
export function defineRoute<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType>(
  route: RouteDefinition<B, Q, P>,
): RouteDefinition {
  return route as unknown as RouteDefinition;
}
