/**
 * N synthetic movies generated inside PostgreSQL (one INSERT … SELECT over generate_series):
 * titles from word lists, years 1900–2025, 1–3 of 20 genres, directors and a cast of three from
 * name lists. (title_key, year) is unique by construction: row t maps through a permutation
 * p = t·7919 mod 126·60·60·40 onto distinct (year, adjective, noun, tail) tuples.
 */
import type { Client } from 'pg';

const ADJECTIVES = [
  'Silent', 'Crimson', 'Broken', 'Last', 'Hidden', 'Golden', 'Dark', 'Lost', 'Wild', 'Frozen',
  'Burning', 'Secret', 'Midnight', 'Electric', 'Savage', 'Endless', 'Distant', 'Final', 'Iron', 'Velvet',
  'Hollow', 'Shattered', 'Restless', 'Forgotten', 'Bitter', 'Northern', 'Scarlet', 'Quiet', 'Glass', 'Paper',
  'Wicked', 'Lonely', 'Eternal', 'Fallen', 'Sacred', 'Stolen', 'Neon', 'Copper', 'Ashen', 'Blue',
  'Little', 'Brave', 'Cold', 'Hungry', 'Crooked', 'Hollywood', 'Desert', 'Rising', 'Deadly', 'Sweet',
  'Green', 'Black', 'White', 'Red', 'Long', 'Perfect', 'Strange', 'Haunted', 'Royal', 'Private',
];
const NOUNS = [
  'Night', 'River', 'Kingdom', 'Garden', 'Empire', 'Shadow', 'Horizon', 'Storm', 'Heart', 'City',
  'Winter', 'Summer', 'Road', 'Mirror', 'Promise', 'Island', 'Harbor', 'Station', 'Frontier', 'Machine',
  'Dream', 'Witness', 'Stranger', 'Voyage', 'Legacy', 'Hunter', 'Signal', 'Circus', 'Orchard', 'Tide',
  'Crown', 'Valley', 'Letter', 'Engine', 'Fortress', 'Canyon', 'Symphony', 'Affair', 'Silence', 'Return',
  'Moon', 'Sun', 'Ocean', 'Forest', 'Mountain', 'Bridge', 'Tower', 'Castle', 'Train', 'Hotel',
  'Wolf', 'Dragon', 'Angel', 'Ghost', 'Soldier', 'Detective', 'Doctor', 'Queen', 'King', 'Thief',
];
const TAILS = [
  '', 'Returns', 'Rising', 'of the North', 'in Paris', 'at Dawn', 'of Fire', 'Reborn', 'Forever', 'II',
  'III', 'Part One', 'Part Two', 'of Tomorrow', 'in the Rain', 'Under Glass', 'of Sorrow', 'Unbound', 'Redux', 'Legacy',
  'of the Lost', 'in Winter', 'at Midnight', 'Begins', 'of Gold', 'Awakens', 'on Ice', 'in Love', 'of Shadows', 'Chronicles',
  'of the Sea', 'in Exile', 'of Kings', 'Revisited', 'by Night', 'of Glass', 'Apart', 'Together', 'Again', 'Untold',
];
export const GENRES = [
  'Drama', 'Comedy', 'Action', 'Thriller', 'Horror', 'Romance', 'Sci-Fi', 'Fantasy', 'Crime', 'Mystery',
  'Adventure', 'Animation', 'Documentary', 'Family', 'War', 'Western', 'Musical', 'History', 'Biography', 'Sport',
];
export const FIRST_NAMES = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth',
  'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Akira', 'Ingrid', 'Federico', 'Agnes', 'Pedro', 'Sofia', 'Wong', 'Chloe', 'Satyajit', 'Greta',
  'Luis', 'Marta', 'Kenji', 'Ana', 'Emil', 'Lucia', 'Hiro', 'Nadia', 'Omar', 'Elena',
];
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson',
  'Kurosawa', 'Bergman', 'Fellini', 'Varda', 'Almodovar', 'Coppola', 'Kar-wai', 'Zhao', 'Ray', 'Gerwig',
  'Bunuel', 'Tarkovsky', 'Ozu', 'Herzog', 'Kieslowski', 'Truffaut', 'Godard', 'Lang', 'Wilder', 'Hitchcock',
  'Kubrick', 'Scorsese', 'Spielberg', 'Bigelow', 'Campion', 'Villeneuve', 'Nolan', 'Fincher', 'Lynch', 'Wenders',
];

export const TITLE_WORDS = { adjectives: ADJECTIVES, nouns: NOUNS, tails: TAILS.filter(Boolean) };

const lit = (xs: string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`;

export function generateSql(from: number, to: number): string {
  const years = 126;
  const radix = years * ADJECTIVES.length * NOUNS.length * TAILS.length;
  const name = (h: string) =>
    `(${lit(FIRST_NAMES)})[1 + (${h}) % ${FIRST_NAMES.length}] || ' ' || (${lit(LAST_NAMES)})[1 + ((${h}) / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}]`;
  return `
with params as (select ${lit(ADJECTIVES)} as adj, ${lit(NOUNS)} as noun, ${lit(TAILS)} as tail, ${lit(GENRES)} as genre),
seq as (
  select t, (t::bigint * 7919) % ${radix} as p, ((t::bigint * 2654435761) % 4294967291) as h
  from generate_series(${from}, ${to - 1}) as t
),
parts as (
  select t, h,
    1900 + (p % ${years})::int as year,
    adj[1 + (p / ${years}) % ${ADJECTIVES.length}] || ' ' || noun[1 + (p / ${years * ADJECTIVES.length}) % ${NOUNS.length}]
      || case when tail[1 + (p / ${years * ADJECTIVES.length * NOUNS.length}) % ${TAILS.length}] = '' then ''
              else ' ' || tail[1 + (p / ${years * ADJECTIVES.length * NOUNS.length}) % ${TAILS.length}] end as title,
    1 + (h % 3)::int as genre_count,
    (h / 3) % 20 as g1, 1 + (h / 60) % 19 as g2, 1 + (h / 1140) % 18 as g3,
    genre
  from seq, params
),
shaped as (
  select *, case genre_count
      when 1 then array[genre[1 + g1]]
      when 2 then array[genre[1 + g1], genre[1 + (g1 + g2) % 20]]
      else array[genre[1 + g1], genre[1 + (g1 + g2) % 20], genre[1 + (g1 + g2 + (case when g3 = g2 then 19 else g3 end)) % 20]] end as genres
  from parts
)
insert into movies (title, title_key, year, genres, genre_keys, director, actors, plot, poster_url)
select title, lower(title), year,
  (select array_agg(distinct g) from unnest(genres) g),
  (select array_agg(distinct lower(g)) from unnest(genres) g),
  ${name('h / 7')},
  ${name('h / 13')} || ', ' || ${name('h / 17 + 1')} || ', ' || ${name('h / 23 + 2')},
  'A ' || lower(genres[1]) || ' about ' || lower(title) || ', set in ' || year || '.',
  'https://img.example.com/posters/' || t || '.jpg'
from shaped`;
}

/** Inserts `count` movies in chunks; returns rows/s. */
export async function generateMovies(client: Client, count: number, onProgress?: (done: number) => void): Promise<number> {
  const chunk = 250_000;
  const started = Date.now();
  for (let from = 0; from < count; from += chunk) {
    await client.query(generateSql(from, Math.min(count, from + chunk)));
    onProgress?.(Math.min(count, from + chunk));
  }
  return count / ((Date.now() - started) / 1000);
}
