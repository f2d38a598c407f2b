using System;
using System.Collections.Generic;
using System.Globalization;

namespace NlbTools.Client.Pacing
{
    /// <summary>A token that <see cref="Pacer.Reserve"/> handed out: when to send, and which rate era it belongs to.</summary>
    public readonly struct PaceTicket
    {
        public PaceTicket(TimeSpan wait, long era)
        {
            Wait = wait;
            Era = era;
        }

        public TimeSpan Wait { get; }
        /// <summary>Cuts so far when the token was taken: an answer to a request sent before the latest cut says nothing new.</summary>
        public long Era { get; }
    }

    /// <summary>
    /// The client-side token bucket of one (endpoint, action), whose fill rate is learned from the answers
    /// (the AWS SDKs' adaptive retry mode): unlimited until the first throttling answer; then each throttling
    /// answer cuts the rate to Beta x the rate the service was accepting, and successes let it grow back along
    /// the CUBIC curve, never past twice the rate actually sent. Thread-safe. Times come from the caller's clock.
    /// Differences from the SDKs, and why: below the rate last throttled, a cut needs two throttling answers within a
    /// second that are at least a tenth of that second's answers, since refusals now and then at any rate (a gateway
    /// shedding load) would otherwise ratchet the rate down to nothing, while a limit refuses a share of whatever goes
    /// past it; past that rate (probing) one refusal cuts, as in the SDKs;
    /// the rate measured at a cut is the rate of ACCEPTED requests over the last second (the service's own limit,
    /// not what we tried); only requests sent after the latest cut can cut again (the burst already in flight is
    /// one signal, not eight); idle time pauses the curve, so the learned rate is kept for the next pipeline of the
    /// session instead of decaying.
    /// </summary>
    public sealed class Pacer
    {
        public const double MinRate = 0.5;
        /// <summary>A cut needs this many throttling answers within a second (to requests sent since the last cut) ...</summary>
        public const int ThrottlesPerCut = 2;
        /// <summary>... making at least this share of that second's answers.</summary>
        public const double CutShare = 0.1;
        private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(1);

        private readonly object _gate = new object();
        private readonly CubicRate _cubic = new CubicRate();
        private readonly Queue<DateTimeOffset> _sent = new Queue<DateTimeOffset>();
        private readonly Queue<DateTimeOffset> _accepted = new Queue<DateTimeOffset>();
        private readonly Queue<DateTimeOffset> _throttled = new Queue<DateTimeOffset>();
        private bool _enabled;
        private double _rate;
        private double _tokens;
        private DateTimeOffset _stamp;
        private DateTimeOffset _lastReserve = DateTimeOffset.MinValue;
        private double _reportedRate;
        private long _era;

        /// <summary>Null while unlimited (no throttling seen yet), else the current fill rate per second.</summary>
        public double? Rate { get { lock (_gate) return _enabled ? _rate : (double?)null; } }

        /// <summary>Throttling answers that cut the rate.</summary>
        public long Cuts { get { lock (_gate) return _era; } }

        /// <summary>Takes a token; the caller waits <see cref="PaceTicket.Wait"/> before sending.</summary>
        public PaceTicket Reserve(DateTimeOffset now)
        {
            lock (_gate)
            {
                if (_lastReserve != DateTimeOffset.MinValue && now - _lastReserve > IdleAfter) _cubic.Pause(now - _lastReserve - IdleAfter);
                _lastReserve = now;
                Record(_sent, now);
                if (!_enabled) return new PaceTicket(TimeSpan.Zero, _era);
                Refill(now);
                // Tokens may go negative: each caller reserves the next free slot, so waiters are served in order.
                _tokens -= 1;
                var wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _rate);
                return new PaceTicket(wait, _era);
            }
        }

        /// <summary>
        /// The answer to a paced request (any answer but a throttling one counts as let through by the quota, errors and
        /// lost answers included). Returns a line for -Verbose when the pace changed noticeably, else null.
        /// </summary>
        public string? Answered(PaceTicket ticket, bool throttled, DateTimeOffset now)
        {
            lock (_gate)
            {
                if (throttled)
                {
                    if (ticket.Era != _era) return null; // sent before the latest cut
                    // Past the rate that was last throttled, one refusal says the limit is reached again. Below it, a
                    // refusal now and then is an accident (a busy gateway); a limit refuses a share of what is sent.
                    Record(_throttled, now);
                    var refused = _throttled.Count;
                    var probing = _enabled && _rate > _cubic.LastMaxRate;
                    if (!probing && (refused < ThrottlesPerCut || refused < CutShare * (refused + Count(_accepted, now)))) return null;
                    _throttled.Clear();
                    var accepted = Math.Max(MinRate, Count(_accepted, now) / Window.TotalSeconds);
                    var before = _enabled ? _rate : (double?)null;
                    var basis = _enabled ? Math.Min(accepted, _rate) : accepted;
                    // A refusal while probing says the limit is where it was, not lower: the learned rate does not ratchet down.
                    if (probing) basis = Math.Min(_rate, Math.Max(accepted, _cubic.LastMaxRate));
                    Refill(now);
                    SetRate(_cubic.Throttled(basis, now));
                    // The slots handed out at the old pace are void: their holders queue again (PacingPolicy), at the new one.
                    _tokens = Math.Max(0, _tokens);
                    _enabled = true;
                    _era++;
                    _reportedRate = _rate;
                    return $"slowing down to {Show(_rate)} requests/s (throttled{(before is double b ? $" at {Show(b)}/s" : "")}; the service accepted {Show(accepted)}/s).";
                }

                Record(_accepted, now);
                if (!_enabled) return null;
                var sentRate = Count(_sent, now) / Window.TotalSeconds;
                var grown = Math.Min(_cubic.RateAt(now), 2 * sentRate);
                if (grown <= _rate) return null; // successes never lower the rate: a slow caller keeps what was learned
                Refill(now);
                SetRate(grown);
                if (_rate < _reportedRate * 1.25) return null;
                _reportedRate = _rate;
                return $"speeding up to {Show(_rate)} requests/s.";
            }
        }

        private void SetRate(double rate)
        {
            _rate = Math.Max(MinRate, rate);
            // One token of room: requests leave evenly spaced, never in a burst the service would refuse.
            _tokens = Math.Min(_tokens, 1);
        }

        private void Refill(DateTimeOffset now)
        {
            if (_stamp != default && now > _stamp) _tokens = Math.Min(1, _tokens + (now - _stamp).TotalSeconds * _rate);
            else if (_stamp == default) _tokens = 1;
            _stamp = now;
        }

        private static void Record(Queue<DateTimeOffset> times, DateTimeOffset now)
        {
            times.Enqueue(now);
            Count(times, now);
        }

        private static int Count(Queue<DateTimeOffset> times, DateTimeOffset now)
        {
            while (times.Count > 0 && now - times.Peek() > Window) times.Dequeue();
            return times.Count;
        }

        private static string Show(double rate) => rate.ToString(rate < 10 ? "0.0#" : "0.#", CultureInfo.InvariantCulture);
    }
}
