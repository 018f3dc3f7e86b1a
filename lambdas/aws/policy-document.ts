/** Policy documents as IAM returns them: URL-encoded JSON (world files and some tools give plain JSON). */
import type { PolicyDocument } from '../engine/facts.ts';

export function decodePolicyDocument(document: unknown): PolicyDocument {
  if (typeof document === 'string') {
    const text = document.trim().startsWith('{') ? document : decodeURIComponent(document);
    return JSON.parse(text) as PolicyDocument;
  }
  return (document ?? { Statement: [] }) as PolicyDocument;
}
