#!/usr/bin/env node
import { activity } from './activity';
import { guardProcess } from './guard';
import { addCommand, main } from './main';

// Commands other than run and graph load only when used: a task that runs an
// unchanged module starts without the TypeScript compiler.
addCommand('export', argv => (require('./export-command') as typeof import('./export-command')).exportCommand(argv));
addCommand('lineage', argv => (require('./lineage-command') as typeof import('./lineage-command')).lineageCommand(argv));
addCommand('airflow', argv => (require('./airflow-command') as typeof import('./airflow-command')).airflowCommand(argv));

const argv = process.argv.slice(2);
const guard = guardProcess(argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined, argv.includes('--verbose'));
main(argv, guard).then(code => {
  activity.done();
  process.exitCode = code;
});
