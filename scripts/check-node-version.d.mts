export function nodeVersionProblem(required: string, found: string): string | null;
