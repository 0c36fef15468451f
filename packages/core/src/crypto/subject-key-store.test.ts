import { describeSubjectKeyRewrap } from '../../test/support/subject-key-rewrap-scenarios.js';
import { describeSubjectKeyStoreContract } from '../../test/support/subject-key-store-contract.js';
import { createMemorySubjectKeyStore } from './subject-key-store.js';

const createStore = () => Promise.resolve(createMemorySubjectKeyStore());

describeSubjectKeyStoreContract('createMemorySubjectKeyStore', createStore);
describeSubjectKeyRewrap('createMemorySubjectKeyStore', createStore);
