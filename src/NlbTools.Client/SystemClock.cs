using System;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client
{
    /// <summary>Time source for signing dates, budgets and back-off waits.</summary>
    public interface ISystemClock
    {
        DateTimeOffset UtcNow { get; }
        Task Delay(TimeSpan delay, CancellationToken cancellationToken);
    }

    public sealed class SystemClock : ISystemClock
    {
        public static readonly SystemClock Instance = new SystemClock();
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
        public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
    }
}
