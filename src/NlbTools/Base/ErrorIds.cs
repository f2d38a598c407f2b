namespace NlbTools.Base
{
    /// <summary>
    /// Every ErrorId this module makes up itself, in one place and one pattern: "Nlb" and then what happened,
    /// in PascalCase (the constant's name without the prefix).
    /// Service errors keep the service's code as their ErrorId, and a broken validation rule its RuleId
    /// (ListenerRules), so that scripts can match them without a translation table.
    /// </summary>
    internal static class ErrorIds
    {
        public const string CredentialsNotFound = "NlbCredentialsNotFound";
        public const string InvalidCredentials = "NlbInvalidCredentials";
        public const string RegionNotSet = "NlbRegionNotSet";
        public const string ServiceError = "NlbServiceError";
        public const string UnexpectedError = "NlbUnexpectedError";
        public const string RegionUnknown = "NlbRegionUnknown";
        public const string InvalidEndpoint = "NlbInvalidEndpoint";
        public const string NotAnId = "NlbNotAnId";

        public const string NoAttributeSpecified = "NlbNoAttributeSpecified";
        public const string ListenerIdMissing = "NlbListenerIdMissing";
        public const string InvalidListenerId = "NlbInvalidListenerId";
        public const string ClientTokenForOneListener = "NlbClientTokenForOneListener";
        public const string InvalidAttributeValue = "NlbInvalidAttributeValue";

        public const string JobIdMissing = "NlbJobIdMissing";
        public const string JobFailed = "NlbJobFailed";
        public const string JobTimeout = "NlbJobTimeout";

        public const string DotnetNotFound = "NlbDotnetNotFound";
        public const string EmulatorNotFound = "NlbEmulatorNotFound";
        public const string EmulatorStateNotFound = "NlbEmulatorStateNotFound";
        public const string EmulatorStartFailed = "NlbEmulatorStartFailed";
        public const string EmulatorNotRunning = "NlbEmulatorNotRunning";
    }
}
