// Typed reads on wx-server-sdk: every document that leaves the database is parsed by its zod schema.
import * as z from 'zod'
import { getDb } from './cloud'

const QueryResult = z.object({ data: z.array(z.unknown()) })

/** Anything with the SDK's `get()`: a collection, a filtered or ordered query. */
type Gettable = { get(): unknown }

export async function findMany<S extends z.ZodType>(
  schema: S,
  query: Gettable,
): Promise<Array<z.output<S>>> {
  const res = QueryResult.parse(await query.get())
  return res.data.map((doc) => schema.parse(doc))
}

export async function findOne<S extends z.ZodType>(
  schema: S,
  query: Gettable,
): Promise<z.output<S> | null> {
  const [first] = await findMany(schema, query)
  return first ?? null
}

/** A document by id, or null; unlike `doc(id).get()` a missing id is not an exception. */
export async function findById<S extends z.ZodType>(
  schema: S,
  collection: string,
  id: string,
): Promise<z.output<S> | null> {
  return findOne(schema, getDb().collection(collection).where({ _id: id }).limit(1))
}

/** A date as stored: the SDK hands back Date objects; a string (e.g. from seeded JSON) is accepted too. */
export const StoredDate = z
  .union([z.date(), z.iso.datetime({ offset: true })])
  .transform((v) => new Date(v))
