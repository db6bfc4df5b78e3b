import { fingerprint } from '../../shared/hash';

export interface MultipartFile {
	field: string;
	filename: string;
	contentType: string;
	content: string;
}

const encoder = new TextEncoder();

/**
 * A multipart/form-data body holding one file, as bytes (no Node Buffer, so it runs wherever n8n does).
 * The boundary is derived from the content: the same upload is the same bytes on every retry.
 */
export function multipartBody(file: MultipartFile, boundary?: string): { body: Uint8Array; contentType: string } {
	let chosen = boundary ?? `----RevenuePush${fingerprint(file.content)}`;
	for (let n = 1; file.content.includes(chosen); n++) chosen = `${boundary ?? '----RevenuePush'}${fingerprint(file.content + n)}`;
	const head = `--${chosen}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.filename)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`;
	const parts = [encoder.encode(head), encoder.encode(file.content), encoder.encode(`\r\n--${chosen}--\r\n`)];
	const body = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		body.set(part, offset);
		offset += part.length;
	}
	return { body, contentType: `multipart/form-data; boundary=${chosen}` };
}

function quoted(text: string): string {
	return text.replace(/["\r\n\\]/g, '_');
}
