// Placeholder until the daemon lands (issue 4).
process.stdout.write('shoald: the daemon is being built; see README.md\n');
