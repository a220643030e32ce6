"""
Structural checks of many generated DAG files in one Python process: Airflow's
DagBag parses them all (no database, 0.02-0.04 s a file once Airflow is
imported) and this prints, as JSON, what a test asserts on: import errors, and
for each DAG its tasks with their downstream tasks, its params (default and
schema), each task's command as its template renders it for a run, and whether
a wrong-typed param is refused with its name.

    python check_dags.py FOLDER '{"dag_id": {"params": {...}, "run_id": "..."}}'
"""
import copy
import json
import shlex
import sys

from airflow.dag_processing.dagbag import DagBag
from airflow.sdk.definitions.param import ParamValidationError

folder, wanted = sys.argv[1], json.loads(sys.argv[2])
bag = DagBag(dag_folder=folder)  # examples are off: AIRFLOW__CORE__LOAD_EXAMPLES
report = {"import_errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": {}}
for dag_id, dag in sorted(bag.dags.items()):
    entry = {
        "file": dag.fileloc,
        "tasks": {t.task_id: sorted(t.downstream_task_ids) for t in dag.tasks},
        "params": {
            name: {"value": param.value if param.has_value else None, "schema": param.schema, "description": param.description}
            for name, param in dag.params.items()
        },
    }
    ask = wanted.get(dag_id, {})
    if "run_id" in ask:
        # What each task's command template renders to for a run with these params.
        params = copy.deepcopy(dag.params)
        for name, value in ask.get("params", {}).items():
            params[name] = value
        macro = dag.user_defined_macros["dagcells_command"]
        entry["commands"] = {t.task_id: shlex.split(macro(t.task_id, params, ask["run_id"])) for t in dag.tasks}
        entry["template"] = {t.task_id: t.bash_command for t in dag.tasks}
    for name, value in ask.get("bad_params", {}).items():
        params = copy.deepcopy(dag.params)
        try:
            params[name] = value
            entry.setdefault("refused", {})[name] = None
        except ParamValidationError as error:
            entry.setdefault("refused", {})[name] = str(error)
    report["dags"][dag_id] = entry
print(json.dumps(report, default=str))
