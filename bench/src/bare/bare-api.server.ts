/**
 * The baseline of the service API figures: bare express + pg answering the two benchmarked endpoints
 * of the communities service with the same SQL on the same database (the statements Prisma sends for
 * GET /wishes and POST /meetings/:id/wishes, including the outbox row), and the same JSON — but no
 * token check, no zod, no ORM, no logging, no metrics. Run as its own process, like the service.
 *   DATABASE_URL=... PORT=... node --import tsx bench/src/bare/bare-api.server.ts
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { Pool } from 'pg';
import { SERVICE_CATEGORY_LABELS, TARGET_GROUP_LABELS, topicName, type ServiceCategory, type TargetGroup } from '@linli/contracts';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const topic = topicName('communities', process.env.KAFKA_TOPIC_PREFIX ?? '');

interface WishRow {
  id: string;
  meeting_id: string;
  community_id: string;
  sub_district_id: string;
  held_on: Date;
  category: string;
  target_group: string;
  description: string;
  votes: number;
  created_at: Date;
  created_by: { userId: string; role: string; scope?: string };
}

const COLUMNS = `"id", "meeting_id", "community_id", "sub_district_id", "held_on", "category", "target_group", "description", "votes", "position", "created_at", "created_by"`;

const view = (w: WishRow) => ({
  id: w.id,
  meetingId: w.meeting_id,
  communityId: w.community_id,
  subDistrictId: w.sub_district_id,
  heldOn: w.held_on.toISOString().slice(0, 10),
  category: w.category,
  categoryLabel: SERVICE_CATEGORY_LABELS[w.category as ServiceCategory],
  targetGroup: w.target_group,
  targetGroupLabel: TARGET_GROUP_LABELS[w.target_group as TargetGroup],
  description: w.description,
  votes: w.votes,
  createdAt: w.created_at.toISOString(),
  createdBy: { userId: w.created_by.userId, role: w.created_by.role, ...(w.created_by.scope ? { scope: w.created_by.scope } : {}) },
});

const app = express();
app.use(express.json());

// GET /wishes?subDistrictId&communityId&limit: one keyset page, oldest first (as listWishes).
app.get('/wishes', async (req, res) => {
  const limit = Number(req.query.limit ?? 20);
  const { rows } = await pool.query<WishRow>(
    `SELECT ${COLUMNS} FROM "wishes" WHERE "sub_district_id" = $1 AND "community_id" = $2 ORDER BY "created_at" ASC, "id" ASC LIMIT $3`,
    [req.query.subDistrictId, req.query.communityId, limit + 1],
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? Buffer.from(JSON.stringify({ c: last.created_at.toISOString(), i: last.id })).toString('base64url') : null;
  res.json({ items: items.map(view), nextCursor });
});

// POST /meetings/:id/wishes: read the meeting, then one transaction: count, insert, outbox.
app.post('/meetings/:id/wishes', async (req, res) => {
  const meetingId = req.params.id;
  const meeting = (await pool.query(`SELECT "id", "community_id", "sub_district_id", "held_on", "attendance", "minutes", "created_at", "created_by" FROM "resident_meetings" WHERE "id" = $1 LIMIT 1`, [meetingId])).rows[0];
  if (!meeting) {
    res.status(404).json({ title: 'not found' });
    return;
  }
  const body = req.body as { category: string; targetGroup: string; description: string; votes: number };
  if (body.votes > meeting.attendance) {
    res.status(400).json({ title: 'votes exceed attendance' });
    return;
  }
  const actor = { userId: 'bench-secretary', role: 'community_secretary', scope: `community:${meeting.community_id}` };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const position = Number((await client.query(`SELECT COUNT(*) AS "n" FROM "wishes" WHERE "meeting_id" = $1`, [meetingId])).rows[0].n);
    const id = randomUUID();
    const wish = (
      await client.query<WishRow>(
        `INSERT INTO "wishes" ("id", "meeting_id", "community_id", "sub_district_id", "held_on", "category", "target_group", "description", "votes", "position", "created_at", "created_by")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
        [id, meetingId, meeting.community_id, meeting.sub_district_id, meeting.held_on, body.category, body.targetGroup, body.description, body.votes, position, new Date(), actor],
      )
    ).rows[0]!;
    const envelope = {
      id: randomUUID(),
      type: 'communities.wish.recorded',
      version: 1,
      source: 'communities',
      subject: id,
      occurredAt: new Date().toISOString(),
      actor,
      data: { wishId: id, meetingId, communityId: meeting.community_id, subDistrictId: meeting.sub_district_id, category: body.category, targetGroup: body.targetGroup, votes: body.votes },
    };
    // Born published: the service's relay shares this database and must not spend the baseline's time
    // on relaying the baseline's rows (the service's own relay work stays counted against the service).
    await client.query(`INSERT INTO "outbox_events" ("id", "topic", "key", "type", "payload", "published_at") VALUES ($1::uuid, $2, $3, $4, $5::jsonb, CURRENT_TIMESTAMP)`, [
      envelope.id,
      topic,
      id,
      envelope.type,
      JSON.stringify(envelope),
    ]);
    await client.query('COMMIT');
    res.status(201).json(view(wish));
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    res.status(500).json({ title: (error as Error).message });
  } finally {
    client.release();
  }
});

app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`bare api listening on ${typeof address === 'object' && address ? address.port : ''}\n`);
});
// A baseline with nothing to finish: it stops at once.
process.on('SIGTERM', () => process.exit(0));
