/** Calendar quarters in UTC: "2026-Q3" starts 2026-07-01T00:00:00Z. */

const QUARTER = /^([0-9]{4})-Q([1-4])$/;

export const isQuarter = (period: string): boolean => QUARTER.test(period);

export const quarterOf = (instant: string): string => {
  const date = new Date(instant);
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
};

const parts = (period: string): [number, number] => {
  const match = QUARTER.exec(period);
  if (match === null) throw new Error(`not a quarter: ${period}`);
  return [Number(match[1]), Number(match[2])];
};

export const nextQuarter = (period: string): string => {
  const [year, q] = parts(period);
  return q === 4 ? `${year + 1}-Q1` : `${year}-Q${q + 1}`;
};

/** The first instant after the quarter. */
export const quarterEnd = (period: string): string => {
  const [year, q] = parts(period);
  return new Date(Date.UTC(year, q * 3, 1)).toISOString();
};
