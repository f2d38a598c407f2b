namespace NlbTools
{
    public sealed class NlbRegion
    {
        public string? RegionId { get; set; }
        public string? LocalName { get; set; }
        public string? RegionEndpoint { get; set; }

        public override string ToString() => RegionId ?? "";
    }
}
