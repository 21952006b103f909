/**
 * The privacy officer's actions on a request. Each state change is one conditional UPDATE
 * (`WHERE status IN allowed`), so two officers acting at once cannot both move the same request.
 */
import type { PrivacyRequest } from '../../generated/prisma/client';
import { AppError, notFound } from '../../http/problem';
import type { StaffPrincipal } from '../../http/route';
import type { Services } from '../../services';
import { SUPERVISORY_AUTHORITY } from '../register/catalogue';
import { decideExtension } from '../deadlines';
import { notifySubject, subjectEmail } from '../notify-subject';
import { choiceInForce, type ObjectionScope } from '../processing-permissions';
import { allowedFrom, canApply, type RequestAction } from './request-status';
import { executeErasureRequest } from './execute-erasure-request';
import { sealText } from '../../crypto/sealed-text';

interface Ctx { services: Services; staff: StaffPrincipal; purpose: string | null; requestId: string }

async function load(services: Services, id: string): Promise<PrivacyRequest> {
  const request = await services.prisma.privacyRequest.findUnique({ where: { id } });
  if (!request) throw notFound('request');
  return request;
}

async function transition(ctx: Ctx, request: PrivacyRequest, action: RequestAction, data: Record<string, unknown>): Promise<PrivacyRequest> {
  const { count } = await ctx.services.prisma.privacyRequest.updateMany({ where: { id: request.id, status: { in: [...allowedFrom(action)] } }, data: { ...data, handledById: ctx.staff.id } });
  if (count !== 1) throw new AppError('CONFLICT', `cannot ${action.replace('_', ' ')} a request that is ${request.status}`);
  await ctx.services.audit.record({ actor: ctx.staff.actor, action: `privacy_request.${action}`, subjectId: request.contactId, resource: { type: 'privacy_request', id: request.id }, purpose: ctx.purpose, requestId: ctx.requestId });
  return load(ctx.services, request.id);
}

export async function verifyIdentity(ctx: Ctx, id: string, method: string) {
  const request = await load(ctx.services, id);
  return transition(ctx, request, 'verify_identity', { status: 'identity_verified', identityVerifiedAt: ctx.services.now(), identityMethod: await sealText(ctx.services, request.contactId, 'privacy_request.identity_method', method) });
}

export async function startRequest(ctx: Ctx, id: string) {
  return transition(ctx, await load(ctx.services, id), 'start', { status: 'in_progress' });
}

export async function extendRequest(ctx: Ctx, id: string, months: number, reason: string) {
  const request = await load(ctx.services, id);
  if (!canApply('extend', request.status)) throw new AppError('CONFLICT', `cannot extend a request that is ${request.status}`);
  const decision = decideExtension(request, months, reason, ctx.services.now(), ctx.services.config.privacy.timeZone);
  if (!decision.ok) {
    const why = { first_deadline_passed: 'the first deadline has passed: an extension must be told within the first month', beyond_two_months: 'at most two further months', reason_required: 'a reason is required', not_later: 'the deadline is already that late' }[decision.reason];
    throw new AppError('UNPROCESSABLE', why, { extra: { reasonCode: decision.reason } });
  }
  // The extension counts only if the subject is told, with the reasons: tell first, then record.
  const told = await notifySubject(ctx.services, await subjectEmail(ctx.services, request.contactId ?? request.subjectRef), 'request_extended', 'Your request: more time needed', [
    `We need more time to answer your ${request.type} request of ${request.receivedAt.toISOString().slice(0, 10)}.`,
    `New deadline: ${decision.extendedDueAt.toISOString().slice(0, 10)}.`,
    `Reason: ${reason}`,
    `You may lodge a complaint with the ${SUPERVISORY_AUTHORITY.name} (${SUPERVISORY_AUTHORITY.email}).`,
  ]);
  if (!told) throw new AppError('UNPROCESSABLE', 'the subject cannot be reached by e-mail; an extension must be told to them');
  return transition(ctx, request, 'extend', { extendedDueAt: decision.extendedDueAt, extensionReason: await sealText(ctx.services, request.contactId, 'privacy_request.extension_reason', reason) });
}

export async function rejectRequest(ctx: Ctx, id: string, reason: string) {
  const request = await load(ctx.services, id);
  const updated = await transition(ctx, request, 'reject', { status: 'rejected', closedAt: ctx.services.now(), outcome: await sealText(ctx.services, request.contactId, 'privacy_request.outcome', `rejected: ${reason}`) });
  await notifySubject(ctx.services, await subjectEmail(ctx.services, request.contactId ?? request.subjectRef), 'request_rejected', 'Your request', [
    `We cannot carry out your ${request.type} request of ${request.receivedAt.toISOString().slice(0, 10)}.`,
    `Reason: ${reason}`,
    `You may lodge a complaint with the ${SUPERVISORY_AUTHORITY.name} (${SUPERVISORY_AUTHORITY.email}) or seek a judicial remedy.`,
  ]);
  return updated;
}

export async function completeRequest(ctx: Ctx, id: string, input: { outcome?: string; endRunningLicences: boolean }) {
  const request = await load(ctx.services, id);
  if (!canApply('complete', request.status)) throw new AppError('CONFLICT', `cannot complete a request that is ${request.status}${request.status === 'received' ? ' (verify identity first)' : ''}`);
  const now = ctx.services.now();
  if (request.type === 'erasure') {
    await ctx.services.audit.record({ actor: ctx.staff.actor, action: 'privacy_request.erasure_decision', subjectId: request.contactId, resource: { type: 'privacy_request', id }, purpose: ctx.purpose, requestId: ctx.requestId, details: { endRunningLicences: input.endRunningLicences } });
    const result = await executeErasureRequest(ctx.services, request, ctx.staff.actor, input.endRunningLicences);
    if (result.status === 'in_progress') throw new AppError('CONFLICT', 'the subject holds running licences: set endRunningLicences to true to end them (the subject is told)');
    return result;
  }
  if ((request.type === 'objection' || request.type === 'restriction') && request.contactId) {
    await ctx.services.prisma.contact.update({ where: { id: request.contactId }, data: choiceInForce(request.type, request.scope as ObjectionScope[], now) });
  }
  return transition(ctx, request, 'complete', { status: 'completed', closedAt: now, outcome: input.outcome ? await sealText(ctx.services, request.contactId, 'privacy_request.outcome', input.outcome) : 'completed' });
}
