import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';

/** What an XSD said of a message: valid, or each violation with its line. */
export interface SchemaVerdict {
  readonly schema: string;
  readonly valid: boolean;
  readonly errors: readonly string[];
}

/**
 * The official ISO 20022 XSDs a bank deployment has (one file per message version, named
 * `<family>.<version>[_n].xsd` as the ISO 20022 catalogue publishes them), and validation
 * against them with libxml2 compiled to WebAssembly (libxml2-wasm): no native build to
 * install. Each XSD is compiled once, when first needed (a fraction of a millisecond per
 * message after that, where handing libxml2 the schema text each time cost a third of a
 * second).
 */
export class SchemaDirectory {
  private readonly files = new Map<string, string>();
  private readonly validators = new Map<string, XsdValidator>();

  constructor(readonly directory: string) {
    for (const name of readdirSync(directory)) {
      const match = /^([a-z]{4}\.\d{3}\.\d{3}\.\d{2})(?:_\d+)?\.xsd$/.exec(name);
      if (match !== null) this.files.set(match[1]!, name);
    }
  }

  /** The message ids (e.g. camt.053.001.08) it has an XSD for. */
  get messages(): string[] {
    return [...this.files.keys()].sort();
  }

  has(message: string): boolean {
    return this.files.has(message);
  }

  /** Validates `xml` against the XSD of `message` (e.g. pacs.008.001.09); throws when there is none. */
  async validate(xml: string, message: string): Promise<SchemaVerdict> {
    let document: XmlDocument;
    try {
      document = XmlDocument.fromString(xml);
    } catch (error) {
      return { schema: this.schemaOf(message), valid: false, errors: [`not well-formed XML: ${(error as Error).message.trim()}`] };
    }
    try {
      return this.validateDocument(document, message);
    } finally {
      document.dispose();
    }
  }

  /** Validates a document already parsed (the caller keeps and disposes of it). */
  validateDocument(document: XmlDocument, message: string): SchemaVerdict {
    const name = this.schemaOf(message);
    try {
      this.validatorOf(name).validate(document);
      return { schema: name, valid: true, errors: [] };
    } catch (error) {
      if (!(error instanceof XmlValidateError)) throw error;
      return { schema: name, valid: false, errors: error.details.map((detail) => `line ${detail.line}: ${detail.message.trim()}`) };
    }
  }

  private schemaOf(message: string): string {
    const name = this.files.get(message);
    if (name === undefined) throw new Error(`no XSD for ${message} in ${this.directory}`);
    return name;
  }

  private validatorOf(name: string): XsdValidator {
    let validator = this.validators.get(name);
    if (validator === undefined) {
      // The schema's document lives as long as its validator: libxml2 may keep pointers into it.
      validator = XsdValidator.fromDoc(XmlDocument.fromString(readFileSync(join(this.directory, name), 'utf8')));
      this.validators.set(name, validator);
    }
    return validator;
  }
}
