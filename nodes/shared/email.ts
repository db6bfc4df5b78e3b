const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface EmailParse {
	/** Lower-cased, trimmed, each once. */
	emails: string[];
	/** The parts that are not e-mail addresses, as written. */
	rejected: string[];
}

/** Reads the e-mails in fields that may hold several ("a@b.ru; c@d.ru") into lower-case addresses. */
export function parseEmails(fields: Iterable<string>): EmailParse {
	const result: EmailParse = { emails: [], rejected: [] };
	for (const written of fields) {
		for (const part of written.split(/[,;\s]+/)) {
			const email = normaliseEmail(part);
			if (part.trim().length === 0) continue;
			if (email === null) result.rejected.push(part);
			else if (!result.emails.includes(email)) result.emails.push(email);
		}
	}
	return result;
}

/** A lower-case trimmed address, or null when the text is not an e-mail address. */
export function normaliseEmail(text: string): string | null {
	const email = text.trim().toLowerCase();
	return EMAIL.test(email) ? email : null;
}
