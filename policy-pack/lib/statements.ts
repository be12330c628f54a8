/** Visiting the statements of a resource's IAM documents, shared by the IAM policies (iam/). */
import { ResourceValidationArgs } from "@pulumi/policy";
import { DocKind, DocRef, documentsOf, InvalidDocumentError, labelOf, parseDocument, statementsOf } from "./iam-document";
import { describe, isUnknownError } from "./kit";

type StatementVisitor = (stmt: Record<string, any>, index: number, doc: DocRef) => void | Promise<void>;

/**
 * Visits the statements of a resource's documents of the given kinds. A document that is entirely
 * unknown does not stop the others from being checked; its unknown error is re-thrown at the end so
 * the engine reports the policy as not decidable during preview.
 */
export async function forEachStatement(
  args: ResourceValidationArgs,
  kinds: readonly DocKind[],
  visit: StatementVisitor,
  onInvalid?: (doc: DocRef, error: Error) => void,
): Promise<void> {
  let pending: unknown;
  for (const doc of documentsOf(args.type, args.props)) {
    if (!kinds.includes(doc.kind)) {
      continue;
    }
    try {
      const parsed = parseDocument(doc.get());
      const statements = statementsOf(parsed);
      for (let i = 0; i < statements.length; i++) {
        await visit(statements[i], i, doc);
      }
    } catch (e) {
      if (isUnknownError(e)) {
        pending = pending ?? e;
      } else if ((e as Error) instanceof InvalidDocumentError) {
        onInvalid?.(doc, e as Error);
      } else {
        throw e;
      }
    }
  }
  if (pending) {
    throw pending;
  }
}

export function where(args: ResourceValidationArgs, doc: DocRef, stmt: Record<string, any>, index: number): string {
  return `${describe(args)} ${doc.path}: ${labelOf(stmt, index)}`;
}
