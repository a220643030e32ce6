/**
 * JSON schemas for params from TypeScript type text, where the type maps to
 * one: what Airflow's trigger form shows and checks before a run starts.
 * `number[]` gives `{ type: "array", items: { type: "number" } }`, a union of
 * string literals an `enum`, a record type an object with its properties.
 * Types JSON cannot carry (Date, Map, bigint, classes, generics) give none:
 * the value is then taken on trust by Airflow, and checked by the task.
 */
import { parseType } from '../analysis/type-model';
import type { TypeModel } from '../analysis/type-model';

type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;

/** The schema of a type, or undefined when it has none; `resolve` looks up named types. */
export function schemaOf(type: string | undefined, resolve: (name: string) => string | undefined = () => undefined): Schema | undefined {
  return type ? fromModel(parseType(type), resolve, 0) : undefined;
}

function fromModel(model: TypeModel, resolve: (name: string) => string | undefined, depth: number): Schema | undefined {
  if (depth > MAX_DEPTH) {
    return undefined;
  }
  const next = (m: TypeModel) => fromModel(m, resolve, depth + 1);
  switch (model.k) {
    case 'prim':
      return model.name === 'number' || model.name === 'string' || model.name === 'boolean' || model.name === 'null'
        ? { type: model.name }
        : undefined;
    case 'lit':
      return model.base === 'bigint' ? undefined : { enum: [JSON.parse(model.text)] };
    case 'array': {
      const items = next(model.elem);
      return items ? { type: 'array', items } : model.elem.k === 'any' ? { type: 'array' } : undefined;
    }
    case 'tuple': {
      const items = model.elems.map(next);
      return items.every(Boolean)
        ? { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length }
        : undefined;
    }
    case 'union':
      return unionSchema(model.members.map(next));
    case 'obj': {
      const properties: Record<string, Schema> = {};
      const required: string[] = [];
      for (const [name, property] of model.props) {
        const schema = next(property.type);
        if (!schema && property.type.k !== 'any') {
          return undefined; // a field JSON cannot carry: the record cannot come from a param either
        }
        properties[name] = schema ?? {};
        if (!property.optional) {
          required.push(name);
        }
      }
      const schema: Schema = { type: 'object' };
      if (model.props.size > 0) {
        schema.properties = properties;
      }
      if (required.length > 0) {
        schema.required = required;
      }
      if (model.index) {
        const values = next(model.index);
        if (!values && model.index.k !== 'any') {
          return undefined;
        }
        if (values) {
          schema.additionalProperties = values;
        }
      }
      return schema;
    }
    case 'ref': {
      const definition = model.args.length === 0 ? resolve(model.name) : undefined;
      return definition ? fromModel(parseType(definition), resolve, depth + 1) : undefined;
    }
    default:
      return undefined; // any, never, functions
  }
}

/** Literals of one union become one enum; plain types a list of types; anything else anyOf. */
function unionSchema(members: (Schema | undefined)[]): Schema | undefined {
  if (members.length === 0 || members.some(m => m === undefined)) {
    return undefined;
  }
  const schemas = members as Schema[];
  if (schemas.every(s => Array.isArray(s.enum) && Object.keys(s).length === 1)) {
    return { enum: schemas.flatMap(s => s.enum as unknown[]) };
  }
  if (schemas.every(s => typeof s.type === 'string' && Object.keys(s).length === 1)) {
    return { type: [...new Set(schemas.map(s => s.type as string))] };
  }
  return { anyOf: schemas };
}
