export {
  ProcessEngineException,
  BadUserRequestException,
  NotFoundException,
  NotValidException,
  NullValueException,
  OptimisticLockingException,
  ParseException,
  AuthorizationException,
} from './errors';
