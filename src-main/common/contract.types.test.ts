// Type-level tests of the contract: `tsc -p tsconfig.node.json` checks them (each @ts-expect-error must
// meet an error, or the type-check fails); at run time only the runtime checks below execute.
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { API_METHODS, createApi, schemas, type ApiBridge, type AppApi, type Consistent, type ContractMismatch, type Schemas } from './contract';

interface Api {
  open(args: { id: number }): Promise<string>;
  list(args: { search?: string }): Promise<string[]>;
}
const good = { open: z.object({ id: z.number() }), list: z.object({ search: z.string().optional() }) };

describe('schemas against AppApi', () => {
  it('the real contract has one schema per method, no other, each of its method argument', () => {
    expectTypeOf<ContractMismatch<AppApi, Schemas>>().toBeNever();
    expectTypeOf<keyof Schemas>().toEqualTypeOf<keyof AppApi>();
    const methods: (keyof AppApi)[] = [...API_METHODS];
    expectTypeOf(methods).toEqualTypeOf<(keyof AppApi)[]>();
  });

  it('a matching table passes', () => {
    expectTypeOf<ContractMismatch<Api, typeof good>>().toBeNever();
    type Ok = Consistent<ContractMismatch<Api, typeof good>>;
    expectTypeOf<Ok>().toBeNever();
  });

  it('a missing schema is a type error naming the method', () => {
    const _missing = { open: good.open };
    expectTypeOf<ContractMismatch<Api, typeof _missing>>().toEqualTypeOf<'list: has no schema'>();
    // @ts-expect-error list has no schema
    type _E = Consistent<ContractMismatch<Api, typeof _missing>>;
  });

  it('an extra schema is a type error naming it', () => {
    const _extra = { ...good, drop: z.object({}) };
    expectTypeOf<ContractMismatch<Api, typeof _extra>>().toEqualTypeOf<'drop: a schema for no AppApi method'>();
    // @ts-expect-error drop is no method
    type _E = Consistent<ContractMismatch<Api, typeof _extra>>;
  });

  it('a schema of the wrong argument shape is a type error naming the method', () => {
    const _wrongType = { ...good, open: z.object({ id: z.string() }) };
    const _missingField = { ...good, open: z.object({}) };
    const _extraOptional = { ...good, list: z.object({ search: z.string().optional(), limit: z.number().optional() }) };
    const _notZod = { ...good, open: { id: 1 } };
    expectTypeOf<ContractMismatch<Api, typeof _wrongType>>().toEqualTypeOf<"open: its argument is not its schema's input">();
    expectTypeOf<ContractMismatch<Api, typeof _missingField>>().toEqualTypeOf<"open: its argument is not its schema's input">();
    expectTypeOf<ContractMismatch<Api, typeof _extraOptional>>().toEqualTypeOf<"list: its argument is not its schema's input">();
    expectTypeOf<ContractMismatch<Api, typeof _notZod>>().toEqualTypeOf<'open: its schema is not a zod schema'>();
    // @ts-expect-error open's schema takes a string id
    type _E = Consistent<ContractMismatch<Api, typeof _wrongType>>;
  });

  it("a method whose argument is another method's schema is caught on the real AppApi", () => {
    type Swapped = Omit<AppApi, 'getSession'> & { getSession(args: z.input<Schemas['stopRun']>): ReturnType<AppApi['getSession']> };
    expectTypeOf<ContractMismatch<Swapped, Schemas>>().toEqualTypeOf<"getSession: its argument is not its schema's input">();
  });
});

describe('createApi', () => {
  it('is an AppApi with every method, each calling the bridge by name', async () => {
    const calls: [string, unknown][] = [];
    const bridge: ApiBridge = {
      call: async (method, args) => {
        calls.push([method, args]);
        return { ok: true, value: null };
      },
      onEvent: () => () => undefined,
    };
    const api = createApi(bridge);
    expectTypeOf(api).toEqualTypeOf<AppApi>();
    expectTypeOf(api.getSession).parameter(0).toEqualTypeOf<z.input<Schemas['getSession']>>();
    // @ts-expect-error getSession takes {id}
    void api.getSession({ sessionId: 1 }).catch(() => undefined);
    for (const m of Object.keys(schemas) as (keyof AppApi)[]) {
      if (typeof api[m] !== 'function') throw new Error(`createApi lacks ${m}`);
    }
    await api.getSession({ id: 3 });
    if (calls.at(-1)?.[0] !== 'getSession') throw new Error('the bridge was not called by name');
  });
});
