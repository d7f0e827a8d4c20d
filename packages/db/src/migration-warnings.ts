/**
 * `prisma migrate dev` opens a migration that can lose data or fail on existing rows with a
 * "Warnings:" comment block. `migrate diff` (our route) does not produce it, so we rebuild the common
 * cases from the SQL, in Prisma's wording, for the reviewer of the migration to see.
 */
export function migrationWarnings(sql: string): string[] {
  const warnings: string[] = [];
  const createdTables = new Set([...sql.matchAll(/CREATE TABLE "([^"]+)"/g)].map((m) => m[1]!));
  for (const statement of sql.split(/;\s*\n/)) {
    const body = statement
      .split('\n')
      .filter((line) => !line.trim().startsWith('--'))
      .join('\n')
      .trim();
    const dropTable = /^DROP TABLE "([^"]+)"/.exec(body);
    if (dropTable) {
      warnings.push(`You are about to drop the \`${dropTable[1]}\` table. If the table is not empty, all the data it contains will be lost.`);
      continue;
    }
    const recreatedEnum = /^CREATE TYPE "(.+)_new" AS ENUM \((.*)\)/.exec(body);
    if (recreatedEnum) {
      warnings.push(`The enum \`${recreatedEnum[1]}\` is recreated with only the values ${recreatedEnum[2]}. If rows still use a removed value, this will fail.`);
      continue;
    }
    const alter = /^ALTER TABLE "([^"]+)"\s+([\s\S]*)$/.exec(body);
    if (alter) {
      const table = alter[1]!;
      for (const clause of alter[2]!.split(/,\s*\n/)) {
        const c = clause.trim();
        let m: RegExpExecArray | null;
        if ((m = /^DROP COLUMN "([^"]+)"/.exec(c))) {
          warnings.push(`You are about to drop the column \`${m[1]}\` on the \`${table}\` table. All the data in the column will be lost.`);
        } else if ((m = /^ADD COLUMN\s+"([^"]+)"(.*)$/.exec(c)) && /NOT NULL/.test(m[2]!) && !/DEFAULT/.test(m[2]!)) {
          warnings.push(`Added the required column \`${m[1]}\` to the \`${table}\` table without a default value. This is not possible if the table is not empty.`);
        } else if ((m = /^ALTER COLUMN "([^"]+)" SET DATA TYPE (.*)$/.exec(c))) {
          warnings.push(`You are about to alter the column \`${m[1]}\` on the \`${table}\` table. The data in that column will be cast to \`${m[2]}\`; the cast may fail or lose data.`);
        } else if ((m = /^ALTER COLUMN "([^"]+)" SET NOT NULL/.exec(c))) {
          warnings.push(`Made the column \`${m[1]}\` on table \`${table}\` required. This fails if the column holds NULL values.`);
        }
      }
      continue;
    }
    const unique = /^CREATE UNIQUE INDEX "[^"]+" ON "([^"]+)"\(([^)]*)\)/.exec(body);
    if (unique && !createdTables.has(unique[1]!)) {
      const columns = unique[2]!.replace(/"/g, '').replace(/\s+/g, '');
      warnings.push(`A unique constraint covering the columns \`[${columns}]\` on the table \`${unique[1]}\` will be added. If there are existing duplicate values, this will fail.`);
    }
  }
  return warnings;
}

/** Prisma's header layout for the warnings block, placed before the script. */
export function withWarningsHeader(sql: string, warnings: string[]): string {
  if (warnings.length === 0) return sql;
  return `/*\n  Warnings:\n\n${warnings.map((w) => `  - ${w}\n`).join('')}\n*/\n${sql}`;
}
