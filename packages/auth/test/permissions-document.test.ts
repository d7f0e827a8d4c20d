import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACTIONS, POLICY, ROLES, ROLE_LABELS } from '../src';
import { renderPermissionsDocument } from '../src/permissions-document';

describe('docs/permissions.md', () => {
  it('when compared with the policy table, then it is current (else run `pnpm permissions:doc`)', () => {
    const committed = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'permissions.md'), 'utf8');
    expect(committed).toBe(renderPermissionsDocument());
  });

  it('when rendered, then each action is a row with its Chinese label and a ✓ exactly for the roles the table allows', () => {
    const rows = renderPermissionsDocument().split('\n').filter((l) => l.includes('` |'));
    expect(rows).toHaveLength(ACTIONS.length);
    for (const [i, action] of ACTIONS.entries()) {
      const cells = rows[i]!.split('|').slice(1, -1).map((c) => c.trim());
      expect(cells[0]).toBe(`${POLICY[action].label} \`${action}\``);
      const roles = POLICY[action].roles as readonly string[];
      expect(cells.slice(2)).toEqual(ROLES.map((role) => (roles.includes(role) ? '✓' : '·')));
    }
    expect(renderPermissionsDocument()).toContain(ROLES.map((r) => ROLE_LABELS[r]).join(' | '));
  });
});
