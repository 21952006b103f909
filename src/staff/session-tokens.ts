/**
 * Short-lived session tokens (JWT, HS256) for staff and for verified data subjects. The
 * audiences differ, so a subject token can never open a staff route or the other way round.
 * Staff tokens are checked against the database on every use: a disabled account or a removed
 * role takes effect at once, not when the token expires.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { PrismaClient } from '../generated/prisma/client';
import type { StaffRole } from '../generated/prisma/enums';
import type { StaffPrincipal, SubjectPrincipal } from '../http/route';

const ISSUER = 'nomina';
const STAFF_AUDIENCE = 'nomina:staff';
const SUBJECT_AUDIENCE = 'nomina:subject';

export class SessionTokens {
  constructor(
    private readonly secret: Buffer,
    private readonly prisma: PrismaClient,
    private readonly staffTtlSeconds: number,
  ) {}

  async issueStaff(staffId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    return this.issue(staffId, STAFF_AUDIENCE, this.staffTtlSeconds, now);
  }

  async issueSubject(contactId: string, ttlSeconds: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    return this.issue(contactId, SUBJECT_AUDIENCE, ttlSeconds, now);
  }

  async verifyStaff(token: string): Promise<StaffPrincipal | null> {
    const sub = await this.verify(token, STAFF_AUDIENCE);
    if (!sub) return null;
    const user = await this.prisma.staffUser.findUnique({ where: { id: sub }, select: { id: true, roles: true, disabledAt: true } });
    if (!user || user.disabledAt) return null;
    return { kind: 'staff', id: user.id, roles: user.roles as StaffRole[], scopes: [], actor: { type: 'staff', id: user.id } };
  }

  async verifySubject(token: string): Promise<SubjectPrincipal | null> {
    const sub = await this.verify(token, SUBJECT_AUDIENCE);
    return sub ? { kind: 'subject', contactId: sub } : null;
  }

  private async issue(sub: string, audience: string, ttlSeconds: number, now: Date) {
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(this.secret);
    return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
  }

  private async verify(token: string, audience: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, audience, algorithms: ['HS256'] });
      return typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
