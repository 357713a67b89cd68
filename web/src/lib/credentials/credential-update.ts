import type { z } from 'zod';
import type { CredentialDto, CredentialKindDto, updateCredentialBody } from '$contract/credentials';
import { formFields, type FormField } from '../forms/schema-fields';

export type UpdateCredentialInput = z.input<typeof updateCredentialBody>;

/** A field of a credential's form: secret fields start empty (their values never leave the server). */
export interface CredentialField {
  key: string;
  label: string;
  required: boolean;
  secret: boolean;
}

export function credentialFields(kind: CredentialKindDto): CredentialField[] {
  return formFields(kind.schema).map((field: FormField) => ({ key: field.key, label: field.label, required: field.required, secret: kind.secretFields.includes(field.key) }));
}

/** The form's starting values: public fields as stored, secret ones empty. */
export function initialValues(credential: CredentialDto, fields: readonly CredentialField[]): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field.key, field.secret ? '' : String(credential.publicData[field.key] ?? '')]));
}

/**
 * What to PATCH for the edited form, or null when nothing changed. The API replaces `data` whole but keeps the
 * stored value of every secret field left out, so an empty secret input means "keep it" and a filled one rotates it.
 */
export function updateBodyOf(credential: CredentialDto, fields: readonly CredentialField[], name: string, values: Record<string, string>): UpdateCredentialInput | null {
  const body: UpdateCredentialInput = {};
  if (name.trim() !== credential.name) body.name = name.trim();
  const filled = fields.filter((field) => (values[field.key] ?? '') !== '');
  const rotated = filled.some((field) => field.secret);
  const publicChanged = fields.some((field) => !field.secret && (values[field.key] ?? '') !== String(credential.publicData[field.key] ?? ''));
  if (rotated || publicChanged) body.data = Object.fromEntries(filled.map((field) => [field.key, values[field.key]]));
  return Object.keys(body).length > 0 ? body : null;
}
