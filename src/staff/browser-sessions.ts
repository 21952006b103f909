/**
 * Browser sessions for the staff console. The API's bearer tokens suit scripts but not a person:
 * a token in page script can be stolen by any injected script, and it expires mid-task. A console
 * session is a random secret in an HttpOnly, SameSite=Strict cookie (Secure outside development);
 * only its SHA-256 is stored, so sign-out and idle expiry end it on the server at once.
 *
 * Sliding: each use moves `lastSeenAt` (at most once a minute, to spare the database) and the
 * session ends after `staffSessionIdleSeconds` without a request, or after ABSOLUTE_SECONDS however
 * busy, so a stolen-but-busy cookie does not live for ever.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { StaffRole } from '../generated/prisma/enums';
import type { StaffPrincipal } from '../http/route';
import type { Services } from '../services';

export const STAFF_COOKIE = 'nomina_staff';
/** unsafe requests on a cookie session must carry this header: a cross-site form cannot set it */
export const CSRF_HEADER = 'x-requested-with';
const ABSOLUTE_SECONDS = 12 * 3600;
const TOUCH_AFTER_MS = 60_000;

const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function cookieSecretOf(req: Request): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === STAFF_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

export function setSessionCookie(services: Services, res: Response, secret: string, maxAgeSeconds: number): void {
  const secure = services.config.env === 'development' ? '' : '; Secure';
  res.append('Set-Cookie', `${STAFF_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`);
}

export function clearSessionCookie(services: Services, res: Response): void {
  setSessionCookie(services, res, '', 0);
}

export async function startBrowserSession(services: Services, staffId: string): Promise<{ secret: string; expiresAt: Date }> {
  const now = services.now();
  const secret = randomBytes(32).toString('base64url');
  // Sessions that can no longer be used are dropped at the next sign-in of their owner, so the table
  // holds at most a few rows per person without a clean-up job.
  await services.prisma.staffSession.deleteMany({
    where: { staffId, OR: [{ endedAt: { not: null } }, { expiresAt: { lte: now } }, { lastSeenAt: { lte: new Date(now.getTime() - services.config.staffSessionIdleSeconds * 1000) } }] },
  });
  await services.prisma.staffSession.create({
    data: { staffId, secretHash: digest(secret), createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + ABSOLUTE_SECONDS * 1000) },
  });
  return { secret, expiresAt: idleEnd(services, now, new Date(now.getTime() + ABSOLUTE_SECONDS * 1000)) };
}

function idleEnd(services: Services, lastSeen: Date, absolute: Date): Date {
  const idle = new Date(lastSeen.getTime() + services.config.staffSessionIdleSeconds * 1000);
  return idle < absolute ? idle : absolute;
}

export interface ResumedSession { staff: StaffPrincipal; expiresAt: Date }

/** The staff member of a live session (and renews it), or null when unknown, ended, idle or disabled. */
export async function resumeBrowserSession(services: Services, secret: string): Promise<ResumedSession | null> {
  const now = services.now();
  const session = await services.prisma.staffSession.findUnique({
    where: { secretHash: digest(secret) },
    select: { id: true, lastSeenAt: true, expiresAt: true, endedAt: true, staff: { select: { id: true, roles: true, disabledAt: true } } },
  });
  if (!session || session.endedAt || session.staff.disabledAt) return null;
  if (session.expiresAt <= now || idleEnd(services, session.lastSeenAt, session.expiresAt) <= now) return null;
  let lastSeen = session.lastSeenAt;
  if (now.getTime() - lastSeen.getTime() >= TOUCH_AFTER_MS) {
    lastSeen = now;
    await services.prisma.staffSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return {
    staff: { kind: 'staff', id: session.staff.id, roles: session.staff.roles as StaffRole[], scopes: [], actor: { type: 'staff', id: session.staff.id } },
    expiresAt: idleEnd(services, lastSeen, session.expiresAt),
  };
}

export async function endBrowserSession(services: Services, secret: string): Promise<boolean> {
  const { count } = await services.prisma.staffSession.updateMany({ where: { secretHash: digest(secret), endedAt: null }, data: { endedAt: services.now() } });
  return count > 0;
}

/** Ends every open session of a staff member (disabled account). */
export async function endSessionsOf(services: Services, staffId: string): Promise<void> {
  await services.prisma.staffSession.updateMany({ where: { staffId, endedAt: null }, data: { endedAt: services.now() } });
}
