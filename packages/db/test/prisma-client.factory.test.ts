import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createPrismaClient, generateMigrationSql } from '../src';
import { adminUrl, fixture, scratchDatabase, type ScratchDatabase } from './helpers/scratch';

const execFileAsync = promisify(execFile);

/** The fixture's generator writes here (packages/db/.cache/generated/shop, git-ignored). */
const generatedClient = join(__dirname, '..', '.cache', 'generated', 'shop', 'client.ts');

describe('createPrismaClient', () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    // Generate exactly as the bootstrap does for services: Prisma 7, no engine, pg driver adapter.
    const prismaCli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
    await execFileAsync(process.execPath, [prismaCli, 'generate', '--schema', fixture('schema.v2.prisma')], {
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    db = await scratchDatabase('client');
    const sql = await generateMigrationSql({ toSchema: fixture('schema.v2.prisma'), adminUrl });
    const c = new Client({ connectionString: db.url });
    await c.connect();
    await c.query(sql);
    await c.end();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("when given a service's generated client class, then it talks to that database through the pg adapter", async () => {
    // A runtime path, so the type-check does not depend on a generated file existing.
    const { PrismaClient } = require(generatedClient) as { PrismaClient: new (opts: unknown) => any };
    const prisma = createPrismaClient(PrismaClient, { databaseUrl: db.url });
    try {
      const id = randomUUID();
      await prisma.user.create({ data: { id, email: 'a@example.org', role: 'ADMIN', posts: { create: [{ title: 'hello' }] } } });

      const user = await prisma.user.findUniqueOrThrow({ where: { id }, include: { posts: true } });

      expect(user).toMatchObject({ email: 'a@example.org', role: 'ADMIN', nickname: null });
      expect(user.posts.map((p: { title: string; seq: bigint }) => [p.title, typeof p.seq])).toEqual([['hello', 'bigint']]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
