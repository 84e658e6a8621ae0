/*
 * The AsyncAPI 3 document of the Socket.IO events, generated from the typed event map
 * (src/modules/message/gateway/socket-events.ts) with the TypeScript compiler: every event of
 * ClientToServerEvents and ServerToClientEvents, its payload and its ack, as JSON Schema, with the
 * JSDoc comments as descriptions. Written to openapi/asyncapi.json by `npm run openapi:generate`;
 * `npm run openapi:check` (and a jest test) fails when an event's payload changes and the committed
 * document does not.
 */
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '..');
export const EVENTS_FILE = path.join(root, 'src', 'modules', 'message', 'gateway', 'socket-events.ts');

type Schema = Record<string, unknown>;

/** Turns TypeScript types into JSON Schema; named interfaces, classes and enums become components. */
class SchemaWriter {
  readonly components: Record<string, Schema> = {};

  constructor(private readonly checker: ts.TypeChecker) {}

  schema(type: ts.Type): Schema {
    const c = this.checker;
    const f = type.flags;
    if (f & ts.TypeFlags.StringLiteral) return { type: 'string', const: (type as ts.StringLiteralType).value };
    if (f & ts.TypeFlags.NumberLiteral) return { type: 'number', const: (type as ts.NumberLiteralType).value };
    if (f & ts.TypeFlags.BooleanLiteral) return { type: 'boolean', const: c.typeToString(type) === 'true' };
    if (f & ts.TypeFlags.String) return { type: 'string' };
    if (f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (f & ts.TypeFlags.Null) return { type: 'null' };
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (type.isUnion()) return this.union(type);
    if (c.isArrayType(type)) return { type: 'array', items: this.schema(c.getTypeArguments(type as ts.TypeReference)[0]) };
    if (f & ts.TypeFlags.Object || type.isIntersection()) return this.object(type);
    throw new Error(`asyncapi: no JSON Schema for the type ${c.typeToString(type)}`);
  }

  private union(type: ts.UnionType): Schema {
    const members = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
    const enumSymbol = type.aliasSymbol ?? type.symbol;
    if (members.every((t) => t.flags & ts.TypeFlags.StringLiteral)) {
      const values = members.map((t) => (t as ts.StringLiteralType).value);
      const isEnum = enumSymbol && enumSymbol.flags & ts.SymbolFlags.Enum;
      if (isEnum) return this.named(enumSymbol.name, () => ({ type: 'string', enum: values }));
      return values.length === 1 ? { type: 'string', const: values[0] } : { type: 'string', enum: values };
    }
    if (members.length === 2 && members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
    const schemas = members.map((t) => this.schema(t));
    // `true | false | null` and friends: a boolean made optional by TypeScript's union expansion.
    const booleans = members.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral).length;
    if (booleans === 2) {
      const rest = members.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral)).map((t) => this.schema(t));
      return rest.length === 0 ? { type: 'boolean' } : { anyOf: [{ type: 'boolean' }, ...rest] };
    }
    return schemas.length === 1 ? schemas[0] : { anyOf: schemas };
  }

  private object(type: ts.Type): Schema {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const name = symbol?.name;
    const isNamed =
      name && !name.startsWith('__') && symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias);
    if (isNamed && !type.aliasTypeArguments) return this.named(name, () => this.properties(type, symbol));
    return this.properties(type, symbol);
  }

  private properties(type: ts.Type, symbol: ts.Symbol | undefined): Schema {
    const c = this.checker;
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const prop of c.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      const propType = decl ? c.getTypeOfSymbolAtLocation(prop, decl) : c.getTypeOfSymbol(prop);
      const schema = this.schema(propType);
      const doc = describe(prop, c);
      properties[prop.name] = doc ? { ...schema, description: doc } : schema;
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.name);
    }
    const out: Schema = { type: 'object', properties };
    if (required.length) out.required = required;
    const index = c.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index) out.additionalProperties = this.schema(c.getNonNullableType(index.type));
    else out.additionalProperties = false;
    const doc = symbol ? describe(symbol, c) : '';
    if (doc) out.description = doc;
    return out;
  }

  private named(name: string, build: () => Schema): Schema {
    if (!(name in this.components)) {
      this.components[name] = {};
      this.components[name] = build();
    }
    return { $ref: `#/components/schemas/${name}` };
  }
}

function describe(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
}

const id = (event: string): string => event.replace(/[^A-Za-z0-9]+/g, '_');

/**
 * The AsyncAPI 3 document of the event map, as committed (2-space JSON, final newline).
 * `eventsSource` replaces the text of socket-events.ts (tests change a payload with it).
 */
export function generateAsyncApiText(eventsSource?: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error('asyncapi: cannot read tsconfig.json');
  const options = { ...config.options, noEmit: true, types: ['node'] };
  const host = ts.createCompilerHost(options);
  if (eventsSource !== undefined) {
    const { getSourceFile, readFile } = host;
    host.readFile = (f) => (path.resolve(f) === EVENTS_FILE ? eventsSource : readFile.call(host, f));
    host.getSourceFile = (f, lang, ...rest) =>
      path.resolve(f) === EVENTS_FILE ? ts.createSourceFile(f, eventsSource, lang) : getSourceFile.call(host, f, lang, ...rest);
  }
  const program = ts.createProgram([EVENTS_FILE], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(EVENTS_FILE);
  if (!source) throw new Error(`asyncapi: cannot read ${EVENTS_FILE}`);
  const map = (name: string): ts.Type => {
    const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
    if (!decl) throw new Error(`asyncapi: ${name} is not an interface of ${EVENTS_FILE}`);
    return checker.getTypeAtLocation(decl);
  };
  const writer = new SchemaWriter(checker);
  const messages: Record<string, Schema> = {};
  const operations: Record<string, Schema> = {};
  const channel = { $ref: '#/channels/socket' };

  const eventsOf = (name: string, action: 'send' | 'receive') => {
    for (const prop of checker.getPropertiesOfType(map(name))) {
      const event = prop.name;
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      const signature = checker.getTypeOfSymbolAtLocation(prop, decl as ts.Node).getCallSignatures()[0];
      if (!signature) throw new Error(`asyncapi: ${name}['${event}'] is not a function type`);
      const [payload, ack] = signature.getParameters();
      const description = describe(prop, checker);
      const key = id(event);
      messages[key] = {
        name: event,
        title: event,
        ...(description ? { summary: description } : {}),
        contentType: 'application/json',
        payload: payload ? writer.schema(checker.getTypeOfSymbolAtLocation(payload, decl as ts.Node)) : { type: 'null' },
      };
      const operation: Schema = {
        action,
        channel,
        title: event,
        ...(description ? { summary: description } : {}),
        messages: [{ $ref: `#/channels/socket/messages/${key}` }],
      };
      if (ack) {
        const ackType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(ack, decl as ts.Node));
        const ackPayload = ackType.getCallSignatures()[0]?.getParameters()[0];
        if (!ackPayload) throw new Error(`asyncapi: the ack of ${event} takes no argument`);
        const ackKey = `${key}_ack`;
        messages[ackKey] = {
          name: `${event} ack`,
          title: `${event} acknowledgement`,
          summary: `The acknowledgement callback's argument for ${event}`,
          contentType: 'application/json',
          payload: writer.schema(checker.getTypeOfSymbolAtLocation(ackPayload, decl as ts.Node)),
        };
        operation.reply = { channel, messages: [{ $ref: `#/channels/socket/messages/${ackKey}` }] };
      }
      operations[`${action === 'receive' ? 'on' : 'emit'}_${key}`] = operation;
    }
  };
  eventsOf('ClientToServerEvents', 'receive');
  eventsOf('ServerToClientEvents', 'send');

  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'Connecto realtime API (Socket.IO)',
      version: '1',
      description:
        'Socket.IO 4 on the REST port: `io(url, { auth: { token: accessToken } })`. A bad or expired token fails the connection with ' +
        "`connect_error` whose message says why. Operations are from the server's side: `receive` is an event a client emits, `send` one " +
        'the server emits to the rooms of the planets the user is an ACTIVE member of. Generated from the typed event map ' +
        '(src/modules/message/gateway/socket-events.ts). After a reconnect, fetch what was missed with GET /api/v1/planets/{planetId}/messages?after=<last id>.',
      license: { name: 'Proprietary (UNLICENSED): all rights reserved by Connecto' },
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io/',
        description: 'Socket.IO (engine.io v4) over WebSocket, on the same host and port as the REST API (`npm run dev`: localhost:3000)',
        security: [{ $ref: '#/components/securitySchemes/accessToken' }],
      },
    },
    channels: {
      socket: {
        address: '/',
        title: 'The default Socket.IO namespace',
        description: 'Every event travels on the default namespace; the message name is the Socket.IO event name.',
        messages,
      },
    },
    operations,
    components: {
      schemas: writer.components,
      securitySchemes: {
        accessToken: {
          type: 'httpApiKey',
          name: 'token',
          in: 'query',
          description:
            'The REST accessToken, passed in the Socket.IO handshake as `auth: { token }` (not a real query parameter: Socket.IO has no AsyncAPI binding).',
        },
      },
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
