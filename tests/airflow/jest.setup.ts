// Airflow runs are real processes of 10-30 s each: tests get minutes.
jest.setTimeout(300_000);
