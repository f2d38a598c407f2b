using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NlbTools.Benchmarks;

// Usage: NlbTools.Benchmarks [--artifacts DIR] [--json FILE]
// A short job run in-process (no generated project to build), so the whole run takes well under a minute.
// --json writes [{ "Method", "MeanNs", "AllocatedBytes" }] for build.ps1 Bench.
string? artifacts = null, jsonPath = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--artifacts" when i + 1 < args.Length: artifacts = args[++i]; break;
        case "--json" when i + 1 < args.Length: jsonPath = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown option '{args[i]}'. usage: NlbTools.Benchmarks [--artifacts DIR] [--json FILE]");
            return 2;
    }
}

var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortInProcess");
var config = ManualConfig.CreateMinimumViable()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithArtifactsPath(artifacts ?? Path.Combine(Path.GetTempPath(), "NlbTools.Benchmarks"));
var summary = BenchmarkRunner.Run<SigningBenchmarks>(config);

var rows = summary.Reports.Select(r => new
{
    Method = r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
    MeanNs = r.ResultStatistics?.Mean,
    AllocatedBytes = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase),
}).ToList();
if (jsonPath != null) File.WriteAllText(jsonPath, JsonSerializer.Serialize(rows));
foreach (var row in rows)
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: {1:0} ns/op, {2} B/op", row.Method, row.MeanNs, row.AllocatedBytes));
return rows.Count > 0 && rows.All(r => r.MeanNs != null) ? 0 : 1;
