import './base.css';
import './graph.css';
import './run.css';
import './export.css';
