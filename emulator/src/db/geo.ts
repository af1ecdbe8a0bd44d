// Geo queries on GeoJSON values ($nearSphere/$near, $geoWithin, $geoIntersects, the $geoNear stage), which mingo lacks.
// Approximations, fine for an emulator: spherical distances use the haversine formula; containment
// is planar ray casting on longitude/latitude; intersection tests vertices, not edge crossings.

import type { DocObject, DocValue } from './ejson'
import { isDocObject } from './ejson'
import { DbError } from './errors'

/** MongoDB's earth radius for spherical geometry, in meters. */
const EARTH_RADIUS_M = 6378100

export type LngLat = [number, number]

type Geometry =
  | { kind: 'points'; points: LngLat[] } // Point, MultiPoint, LineString, MultiLineString (vertices)
  | { kind: 'polygons'; polygons: LngLat[][][] } // Polygon, MultiPolygon (rings)

export function haversineMeters(a: LngLat, b: LngLat): number {
  const rad = Math.PI / 180
  const dLat = (b[1] - a[1]) * rad
  const dLng = (b[0] - a[0]) * rad
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

function asLngLat(v: unknown): LngLat | null {
  if (Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number')
    return [v[0], v[1]]
  return null
}

/** A GeoJSON point (or a legacy [lng, lat] pair) as coordinates, else null. */
export function pointOf(v: DocValue | undefined): LngLat | null {
  if (isDocObject(v) && v.type === 'Point') return asLngLat(v.coordinates)
  return asLngLat(v)
}

function parseGeometry(v: unknown): Geometry | null {
  const legacy = asLngLat(v)
  if (legacy) return { kind: 'points', points: [legacy] }
  if (!isDocObject(v as DocValue)) return null
  const g = v as DocObject
  const c = g.coordinates
  switch (g.type) {
    case 'Point': {
      const p = asLngLat(c)
      return p ? { kind: 'points', points: [p] } : null
    }
    case 'MultiPoint':
    case 'LineString': {
      if (!Array.isArray(c)) return null
      const pts = c.map(asLngLat)
      return pts.every((p) => p) ? { kind: 'points', points: pts as LngLat[] } : null
    }
    case 'MultiLineString': {
      if (!Array.isArray(c)) return null
      const pts = c.flatMap((line) => (Array.isArray(line) ? line.map(asLngLat) : [null]))
      return pts.every((p) => p) ? { kind: 'points', points: pts as LngLat[] } : null
    }
    case 'Polygon': {
      const rings = parseRings(c)
      return rings ? { kind: 'polygons', polygons: [rings] } : null
    }
    case 'MultiPolygon': {
      if (!Array.isArray(c)) return null
      const polys = c.map(parseRings)
      return polys.every((p) => p) ? { kind: 'polygons', polygons: polys as LngLat[][][] } : null
    }
    default:
      return null
  }
}

function parseRings(c: unknown): LngLat[][] | null {
  if (!Array.isArray(c) || c.length === 0) return null
  const rings: LngLat[][] = []
  for (const ring of c) {
    if (!Array.isArray(ring)) return null
    const pts = ring.map(asLngLat)
    if (!pts.every((p) => p)) return null
    rings.push(pts as LngLat[])
  }
  return rings
}

function inRing(p: LngLat, ring: LngLat[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as LngLat
    const [xj, yj] = ring[j] as LngLat
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi)
      inside = !inside
  }
  return inside
}

function inPolygons(p: LngLat, polygons: LngLat[][][]): boolean {
  // First ring is the shell, the others are holes (GeoJSON).
  return polygons.some(
    ([shell, ...holes]) =>
      shell !== undefined && inRing(p, shell) && !holes.some((h) => inRing(p, h)),
  )
}

function verticesOf(g: Geometry): LngLat[] {
  return g.kind === 'points' ? g.points : g.polygons.flat(2)
}

/** Field value at a dotted path, descending into arrays element-wise (MongoDB path semantics). */
function valuesAt(doc: DocValue, path: string[]): DocValue[] {
  if (path.length === 0) return [doc]
  const [head, ...rest] = path as [string, ...string[]]
  if (Array.isArray(doc)) {
    const idx = Number(head)
    if (Number.isInteger(idx) && String(idx) === head) {
      const item = doc[idx]
      return item === undefined ? [] : valuesAt(item, rest)
    }
    return doc.flatMap((d) => valuesAt(d, path))
  }
  if (!isDocObject(doc) || !(head in doc)) return []
  return valuesAt(doc[head] as DocValue, rest)
}

function geometriesAt(doc: DocObject, selector: string): Geometry[] {
  const out: Geometry[] = []
  for (const v of valuesAt(doc, selector.split('.'))) {
    const g = parseGeometry(v)
    if (g) out.push(g)
    else if (Array.isArray(v))
      for (const item of v) {
        const gi = parseGeometry(item)
        if (gi) out.push(gi)
      }
  }
  return out
}

type Predicate = (doc: DocObject) => boolean

function geometryArg(spec: unknown, op: string): Geometry {
  const g = isDocObject(spec as DocValue) ? parseGeometry((spec as DocObject).$geometry) : null
  if (!g) throw DbError.invalidParam(`${op} needs a valid GeoJSON $geometry`)
  return g
}

export function $geoWithin(selector: string, value: unknown): Predicate {
  if (!isDocObject(value as DocValue)) throw DbError.invalidParam('$geoWithin needs an object')
  const spec = value as DocObject
  if (spec.$centerSphere !== undefined) {
    const cs = spec.$centerSphere
    const center = Array.isArray(cs) ? asLngLat(cs[0]) : null
    const radius = Array.isArray(cs) ? cs[1] : undefined
    if (!center || typeof radius !== 'number')
      throw DbError.invalidParam('$centerSphere must be [[lng, lat], radiusInRadians]')
    const maxM = radius * EARTH_RADIUS_M
    return (doc) =>
      geometriesAt(doc, selector).some((g) =>
        verticesOf(g).every((p) => haversineMeters(center, p) <= maxM),
      )
  }
  const area = geometryArg(spec, '$geoWithin')
  if (area.kind !== 'polygons')
    throw DbError.invalidParam('$geoWithin $geometry must be a Polygon or MultiPolygon')
  return (doc) =>
    geometriesAt(doc, selector).some((g) =>
      verticesOf(g).every((p) => inPolygons(p, area.polygons)),
    )
}

export function $geoIntersects(selector: string, value: unknown): Predicate {
  const other = geometryArg(value, '$geoIntersects')
  return (doc) =>
    geometriesAt(doc, selector).some((g) => {
      if (other.kind === 'polygons' && verticesOf(g).some((p) => inPolygons(p, other.polygons)))
        return true
      if (g.kind === 'polygons' && verticesOf(other).some((p) => inPolygons(p, g.polygons)))
        return true
      const mine = verticesOf(g)
      return verticesOf(other).some((q) => mine.some((p) => p[0] === q[0] && p[1] === q[1]))
    })
}

export type NearSpec = { center: LngLat; min: number; max: number }

/** Parses {$geometry: Point, $maxDistance?, $minDistance?} (meters) or a legacy pair. */
export function parseNear(value: unknown, op: string): NearSpec {
  const spec = isDocObject(value as DocValue) ? (value as DocObject) : undefined
  const center = spec ? pointOf(spec.$geometry ?? null) : asLngLat(value)
  if (!center) throw DbError.invalidParam(`${op} needs a GeoJSON Point $geometry`)
  const max = spec && typeof spec.$maxDistance === 'number' ? spec.$maxDistance : Infinity
  const min = spec && typeof spec.$minDistance === 'number' ? spec.$minDistance : 0
  return { center, min, max }
}

/** Distance from the spec's center to the nearest point found at the path, or null without one. */
export function distanceAt(doc: DocObject, selector: string, center: LngLat): number | null {
  let best: number | null = null
  for (const g of geometriesAt(doc, selector)) {
    for (const p of verticesOf(g)) {
      const d = haversineMeters(center, p)
      if (best === null || d < best) best = d
    }
  }
  return best
}

export function nearPredicate(op: string) {
  return (selector: string, value: unknown): Predicate => {
    const near = parseNear(value, op)
    return (doc) => {
      const d = distanceAt(doc, selector, near.center)
      return d !== null && d >= near.min && d <= near.max
    }
  }
}

/** The first top-level field holding a GeoJSON point; $geoNear uses it when no `key` is given. */
export function firstPointField(doc: DocObject): string | null {
  for (const k of Object.keys(doc)) if (pointOf(doc[k]) && isDocObject(doc[k])) return k
  return null
}
