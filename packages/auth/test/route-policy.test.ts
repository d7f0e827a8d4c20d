import { ForbiddenError, type Request, type Response } from '@linli/http';
import { ROLES, createAuthenticator, decide, decideRoute, issueToken, ownResource, principalOf, type Principal } from '../src';

const secret = 'test-secret-that-is-long-enough-1234567890';
const secretary: Principal = { userId: 'u-shi', role: 'community_secretary', scope: { kind: 'community', id: 'c-1' } };
const reviewer: Principal = { userId: 'u-sun', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: 'sd-1' } };
const admin: Principal = { userId: 'u-admin', role: 'admin', scope: { kind: 'platform', id: 'linli' } };

describe('route policy (the role check a route declares)', () => {
  it('when a route lists several actions, then any one that allows the role lets it through', () => {
    expect(decideRoute(secretary, ['proposal.write', 'proposal.subdistrict.write'])).toEqual({ allowed: true });
    expect(decideRoute(reviewer, ['proposal.write', 'proposal.subdistrict.write'])).toEqual({ allowed: true });
  });

  it('when no listed action allows the role, then the refusal names every reason from the table', () => {
    const decision = decideRoute(admin, ['proposal.write', 'proposal.subdistrict.write']);
    expect(decision.allowed).toBe(false);
    const reason = (decision as { reason: string }).reason;
    for (const action of ['proposal.write', 'proposal.subdistrict.write'] as const) {
      const one = decide(admin, action, ownResource(admin));
      expect(one.allowed).toBe(false);
      expect(reason).toContain((one as { reason: string }).reason);
    }
    expect(reason).toContain('管理员无权「编写项目申请」');
  });

  it('when the route is for every signed-in role, then every role passes', () => {
    for (const role of ROLES) expect(decideRoute({ ...admin, role }, 'signed-in')).toEqual({ allowed: true });
  });

  it('when a route names an action the table lacks, then it fails closed', () => {
    expect(() => decideRoute(admin, ['no.such.action'])).toThrow('policy table lacks');
  });

  it('when a scoped action is checked, then only the role counts (the use case checks the resource’s scope)', () => {
    // proposal.read is scoped; a secretary of any community passes the route's check.
    expect(decideRoute({ ...secretary, scope: { kind: 'community', id: 'another' } }, ['proposal.read'])).toEqual({ allowed: true });
  });

  it('when the authenticator meets a role the route refuses, then 403 with the reason and the caller is still known', async () => {
    const authenticate = createAuthenticator({ secret });
    const token = await issueToken(secretary, { secret });
    const req = { header: (name: string) => (name === 'authorization' ? `Bearer ${token}` : undefined) } as unknown as Request;
    const res = { locals: {} } as unknown as Response;
    const refusal = authenticate(req, res, { policy: ['payment.approve'] });
    await expect(refusal).rejects.toThrow(ForbiddenError);
    await expect(refusal).rejects.toThrow('社区书记无权「审批拨付」');
    expect(principalOf(res).userId).toBe('u-shi');
    await expect(authenticate(req, res, { policy: ['proposal.read'] })).resolves.toBeUndefined();
  });
});
