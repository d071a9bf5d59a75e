/**
 * Heavy dependencies loaded on first use. Loading the core pulls in every module, and
 * these four cost ~120 ms of its ~300 ms: a command that makes no HTTP call, serves
 * nothing or keeps no PostgreSQL store (and the bulk run's reading thread) need not pay
 * for them. Each loader returns the same module object every time.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Fastify from 'fastify';
import type * as Jose from 'jose';
import type * as Pg from 'pg';
import type * as Undici from 'undici';

let fastify: typeof Fastify | undefined;
let jose: typeof Jose | undefined;
let pg: typeof Pg | undefined;
let undici: typeof Undici | undefined;

/** fastify (`ferry serve`). */
export const fastifyModule = (): typeof Fastify => (fastify ??= require('fastify') as typeof Fastify);
/** jose (JWT checks of `ferry serve`). */
export const joseModule = (): typeof Jose => (jose ??= require('jose') as typeof Jose);
/** pg (the PostgreSQL store). */
export const pgModule = (): typeof Pg => (pg ??= require('pg') as typeof Pg);
/** undici (the connectors' HTTP client). */
export const undiciModule = (): typeof Undici => (undici ??= require('undici') as typeof Undici);
