// Placeholder until the CLI lands (issue 4): prints usage.
process.stdout.write('shoal: the CLI is being built; see README.md\n');
