import type { Actor, ActivityStatus, PhotoContentType } from '@linli/contracts';
import type { Activity, Invoice, Photo, Prisma } from './generated/prisma/client';
import type { SupervisionTx } from './prisma';
import type { ContractFilter } from './contract.repository';
import {
  actorColumn,
  actorOf,
  afterWhere,
  dateColumn,
  fen,
  isoDate,
  keysetOrder,
  optionalActor,
  optionalDateTime,
  type After,
} from './rows';

export interface ActivityRecord {
  id: string;
  contractId: string;
  projectId: string;
  activityKey: string;
  heldOn: string;
  venue: string;
  headcount: number;
  description: string;
  status: ActivityStatus;
  signInCount: number | null;
  signInRecordedAt: string | null;
  signInRecordedBy: Actor | null;
  verifiedAt: string | null;
  verifiedBy: Actor | null;
  verificationMode: 'auto' | 'manual' | null;
  verificationNote: string | null;
  createdAt: string;
  createdBy: Actor;
}

/** A sign-in line as stored: the phone only sealed, fingerprinted and masked. */
export interface SealedParticipant {
  id: string;
  activityId: string;
  position: number;
  name: string;
  phoneCiphertext: Buffer;
  phoneKeyId: string;
  phoneHmac: string;
  phoneMasked: string;
}
export type ParticipantRecord = Omit<SealedParticipant, 'phoneCiphertext' | 'phoneKeyId' | 'phoneHmac'>;

export interface PhotoRecord {
  id: string;
  activityId: string;
  fileName: string;
  contentType: PhotoContentType;
  sizeBytes: number;
  sha256: string;
  capturedAt: string;
  createdAt: string;
  createdBy: Actor;
}

export interface InvoiceRecord {
  id: string;
  contractId: string;
  activityId: string | null;
  number: string;
  issuer: string;
  amountFen: number;
  issuedOn: string;
  lineId: string;
  createdAt: string;
  createdBy: Actor;
}

const toActivity = (row: Activity): ActivityRecord => ({
  id: row.id,
  contractId: row.contractId,
  projectId: row.projectId,
  activityKey: row.activityKey,
  heldOn: isoDate(row.heldOn),
  venue: row.venue,
  headcount: row.headcount,
  description: row.description,
  status: row.status as ActivityStatus,
  signInCount: row.signInCount,
  signInRecordedAt: optionalDateTime(row.signInRecordedAt),
  signInRecordedBy: optionalActor(row.signInRecordedBy),
  verifiedAt: optionalDateTime(row.verifiedAt),
  verifiedBy: optionalActor(row.verifiedBy),
  verificationMode: row.verificationMode as ActivityRecord['verificationMode'],
  verificationNote: row.verificationNote,
  createdAt: row.createdAt.toISOString(),
  createdBy: actorOf(row.createdBy),
});

const photoMeta = {
  id: true,
  activityId: true,
  fileName: true,
  contentType: true,
  sizeBytes: true,
  sha256: true,
  capturedAt: true,
  createdAt: true,
  createdBy: true,
} as const;
const toPhoto = (row: Omit<Photo, 'data'>): PhotoRecord => ({
  id: row.id,
  activityId: row.activityId,
  fileName: row.fileName,
  contentType: row.contentType as PhotoContentType,
  sizeBytes: row.sizeBytes,
  sha256: row.sha256,
  capturedAt: row.capturedAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
  createdBy: actorOf(row.createdBy),
});

const toInvoice = (row: Invoice): InvoiceRecord => ({
  id: row.id,
  contractId: row.contractId,
  activityId: row.activityId,
  number: row.number,
  issuer: row.issuer,
  amountFen: fen(row.amountFen),
  issuedOn: isoDate(row.issuedOn),
  lineId: row.lineId,
  createdAt: row.createdAt.toISOString(),
  createdBy: actorOf(row.createdBy),
});

export function activityRepository(tx: SupervisionTx) {
  const findById = async (id: string): Promise<ActivityRecord | null> => {
    const row = await tx.activity.findUnique({ where: { id } });
    return row ? toActivity(row) : null;
  };
  return {
    findById,
    /** Reads the activity and locks its row: status changes on one activity happen one at a time. */
    async lock(id: string): Promise<ActivityRecord | null> {
      await tx.$queryRaw`SELECT id FROM activities WHERE id = ${id}::uuid FOR UPDATE`;
      return findById(id);
    },
    async findByKey(contractId: string, activityKey: string): Promise<ActivityRecord | null> {
      const row = await tx.activity.findUnique({ where: { contractId_activityKey: { contractId, activityKey } } });
      return row ? toActivity(row) : null;
    },
    async ofContract(contractId: string): Promise<ActivityRecord[]> {
      return (await tx.activity.findMany({ where: { contractId }, orderBy: keysetOrder })).map(toActivity);
    },
    async create(input: {
      id: string;
      contractId: string;
      projectId: string;
      activityKey: string;
      heldOn: string;
      venue: string;
      headcount: number;
      description: string;
      status: ActivityStatus;
      createdBy: Actor;
    }): Promise<ActivityRecord> {
      const row = await tx.activity.create({ data: { ...input, heldOn: dateColumn(input.heldOn), createdBy: actorColumn(input.createdBy) } });
      return toActivity(row);
    },
    async recordSignIn(id: string, input: { status: ActivityStatus; count: number; at: Date; by: Actor }): Promise<void> {
      await tx.activity.update({
        where: { id },
        data: { status: input.status, signInCount: input.count, signInRecordedAt: input.at, signInRecordedBy: actorColumn(input.by) },
      });
    },
    async setStatus(id: string, status: ActivityStatus): Promise<void> {
      await tx.activity.update({ where: { id }, data: { status } });
    },
    async verify(id: string, input: { mode: 'auto' | 'manual'; note: string; at: Date; by: Actor }): Promise<void> {
      await tx.activity.update({
        where: { id },
        data: { status: 'verified', verificationMode: input.mode, verificationNote: input.note, verifiedAt: input.at, verifiedBy: actorColumn(input.by) },
      });
    },
    async list({
      limit,
      after,
      contracts,
      contractId,
      status,
    }: {
      limit: number;
      after?: After;
      contracts: ContractFilter;
      contractId?: string;
      status?: ActivityStatus;
    }): Promise<ActivityRecord[]> {
      const where: Prisma.ActivityWhereInput = {
        contract: contracts,
        ...(contractId ? { contractId } : {}),
        ...(status ? { status } : {}),
        ...afterWhere(after),
      };
      return (await tx.activity.findMany({ where, orderBy: keysetOrder, take: limit })).map(toActivity);
    },

    // ——— 签到单 sign-in sheet ———
    async addParticipants(rows: readonly SealedParticipant[]): Promise<void> {
      await tx.participant.createMany({ data: rows.map((r) => ({ ...r, phoneCiphertext: new Uint8Array(r.phoneCiphertext) })) });
    },
    async participants(activityId: string): Promise<ParticipantRecord[]> {
      const rows = await tx.participant.findMany({
        where: { activityId },
        orderBy: { position: 'asc' },
        select: { id: true, activityId: true, position: true, name: true, phoneMasked: true },
      });
      return rows;
    },
    async sealedParticipant(id: string): Promise<SealedParticipant | null> {
      const row = await tx.participant.findUnique({ where: { id } });
      return row ? { ...row, phoneCiphertext: Buffer.from(row.phoneCiphertext) } : null;
    },

    // ——— 照片 photos (metadata reads never load the bytes) ———
    async addPhoto(input: Omit<PhotoRecord, 'createdAt' | 'createdBy' | 'capturedAt'> & { capturedAt: Date; data: Buffer; createdBy: Actor }) {
      const { data, createdBy, ...fields } = input;
      const row = await tx.photo.create({ data: { ...fields, data: new Uint8Array(data), createdBy: actorColumn(createdBy) }, select: photoMeta });
      return toPhoto(row);
    },
    async photoByHash(activityId: string, sha256: string): Promise<PhotoRecord | null> {
      const row = await tx.photo.findUnique({ where: { activityId_sha256: { activityId, sha256 } }, select: photoMeta });
      return row ? toPhoto(row) : null;
    },
    async photosOf(activityIds: readonly string[]): Promise<PhotoRecord[]> {
      const rows = await tx.photo.findMany({ where: { activityId: { in: [...activityIds] } }, orderBy: keysetOrder, select: photoMeta });
      return rows.map(toPhoto);
    },
    async listPhotos({ activityId, limit, after }: { activityId: string; limit: number; after?: After }): Promise<PhotoRecord[]> {
      const rows = await tx.photo.findMany({ where: { activityId, ...afterWhere(after) }, orderBy: keysetOrder, take: limit, select: photoMeta });
      return rows.map(toPhoto);
    },
    async photoContent(id: string): Promise<(PhotoRecord & { data: Buffer }) | null> {
      const row = await tx.photo.findUnique({ where: { id } });
      return row ? { ...toPhoto(row), data: Buffer.from(row.data) } : null;
    },

    // ——— 发票 invoices ———
    async addInvoice(input: Omit<InvoiceRecord, 'createdAt'> & { numberNormalized: string }): Promise<InvoiceRecord> {
      const row = await tx.invoice.create({
        data: { ...input, amountFen: BigInt(input.amountFen), issuedOn: dateColumn(input.issuedOn), createdBy: actorColumn(input.createdBy) },
      });
      return toInvoice(row);
    },
    async invoiceByNumber(numberNormalized: string): Promise<InvoiceRecord | null> {
      const row = await tx.invoice.findUnique({ where: { numberNormalized } });
      return row ? toInvoice(row) : null;
    },
    async invoicesOfContract(contractId: string): Promise<InvoiceRecord[]> {
      return (await tx.invoice.findMany({ where: { contractId }, orderBy: keysetOrder })).map(toInvoice);
    },
    async listInvoices({ contractId, limit, after }: { contractId: string; limit: number; after?: After }): Promise<InvoiceRecord[]> {
      return (await tx.invoice.findMany({ where: { contractId, ...afterWhere(after) }, orderBy: keysetOrder, take: limit })).map(toInvoice);
    },
  };
}
export type ActivityRepository = ReturnType<typeof activityRepository>;
