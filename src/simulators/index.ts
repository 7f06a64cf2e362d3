/** The Jira and Port simulators, for tests and demos of hosts that embed the pipeline. */
export { startJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from './jira/index.js';
export { startPortSimulator, type PortSimulator, type PortSimulatorOptions } from './port/index.js';
