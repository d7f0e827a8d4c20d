import { SignJWT } from 'jose';
import { ForbiddenError, UnauthorizedError } from '@linli/http';
import { ACTIONS, POLICY, authorize, decide, issueToken, verifyToken, type Principal } from '../src';

const secret = 'test-secret-that-is-long-enough-1234567890';
const secretary: Principal = { userId: 'u-shi', name: '史润霞', role: 'community_secretary', scope: { kind: 'community', id: 'c-yanjingli' }, subDistrictId: 'sd-balizhuang' };
const reviewer: Principal = { userId: 'u-sun', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: 'sd-tiyuguanlu' } };

describe('tokens', () => {
  it('when a token is issued and verified, then the same principal comes back', async () => {
    const token = await issueToken(secretary, { secret });
    await expect(verifyToken(token, { secret })).resolves.toEqual(secretary);
  });

  it('when the signature is from another secret, then it is refused with 401', async () => {
    const token = await issueToken(secretary, { secret: `${secret}-other` });
    await expect(verifyToken(token, { secret })).rejects.toThrow(UnauthorizedError);
  });

  it('when the token has expired, then the error says so', async () => {
    const token = await new SignJWT({ role: 'admin', scope: { kind: 'platform', id: 'linli' } })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer('linli').setAudience('linli')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(secret));
    await expect(verifyToken(token, { secret })).rejects.toThrow('令牌已过期');
  });

  it('when a verified token is presented again, then the same principal comes back, and its expiry still counts', async () => {
    const token = await issueToken(secretary, { secret, expiresIn: '2s' });
    await expect(verifyToken(token, { secret })).resolves.toEqual(secretary);
    await expect(verifyToken(token, { secret })).resolves.toEqual(secretary);
    // A remembered success is remembered for its secret only.
    await expect(verifyToken(token, { secret: `${secret}-rotated` })).rejects.toThrow(UnauthorizedError);
    await new Promise((r) => setTimeout(r, 2_100));
    await expect(verifyToken(token, { secret })).rejects.toThrow('令牌已过期');
  });

  it('when the role and scope kind do not match, then no token is issued', async () => {
    await expect(issueToken({ ...secretary, scope: { kind: 'platform', id: 'x' } }, { secret })).rejects.toThrow();
  });
});

describe('the policy table', () => {
  it('when a community secretary reads a proposal of their own community, then it is allowed', () => {
    expect(decide(secretary, 'proposal.read', { communityId: 'c-yanjingli', subDistrictId: 'sd-balizhuang' })).toEqual({ allowed: true });
  });

  it("when a community secretary reads another community's proposal, then 403 with the reason", () => {
    const d = decide(secretary, 'proposal.read', { communityId: 'c-other', subDistrictId: 'sd-balizhuang' });
    expect(d).toMatchObject({ allowed: false, reason: expect.stringContaining('管辖范围') });
    expect(() => authorize(secretary, 'proposal.read', { communityId: 'c-other' })).toThrow(ForbiddenError);
  });

  it('when a reviewer reads any proposal in their sub-district, then it is allowed, and outside it refused', () => {
    expect(decide(reviewer, 'proposal.read', { communityId: 'c-any', subDistrictId: 'sd-tiyuguanlu' }).allowed).toBe(true);
    expect(decide(reviewer, 'proposal.read', { communityId: 'c-any', subDistrictId: 'sd-balizhuang' }).allowed).toBe(false);
  });

  it('when anyone but finance approves a payment, then it is refused by role', () => {
    for (const role of ['admin', 'operator', 'subdistrict_reviewer', 'system'] as const) {
      const p = { userId: 'x', role, scope: { kind: role === 'subdistrict_reviewer' ? 'sub-district' : 'platform', id: 'sd-1' } } as Principal;
      expect(decide(p, 'payment.approve', { subDistrictId: 'sd-1' }).allowed).toBe(false);
    }
    const finance: Principal = { userId: 'f', role: 'finance', scope: { kind: 'sub-district', id: 'sd-1' } };
    expect(decide(finance, 'payment.approve', { subDistrictId: 'sd-1' }).allowed).toBe(true);
  });

  it('when listing actions, then every rule names at least one role and a Chinese label', () => {
    expect(ACTIONS.length).toBeGreaterThan(30);
    for (const action of ACTIONS) {
      expect(POLICY[action].roles.length).toBeGreaterThan(0);
      expect(POLICY[action].label).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});
