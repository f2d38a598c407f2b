namespace NlbTools
{
    /// <summary>A running emulator started by Start-NlbEmulator. The secret stays inside the module.</summary>
    public sealed class NlbEmulatorInfo
    {
        public string? Endpoint { get; set; }
        public int ProcessId { get; set; }
        public string? AccessKeyId { get; set; }
        public string? StatePath { get; set; }

        internal string? AccessKeySecret { get; set; }

        public override string ToString() => Endpoint ?? "";
    }
}
