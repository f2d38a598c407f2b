using System;

namespace NlbTools.Client.Pacing
{
    /// <summary>
    /// The CUBIC curve of the AWS SDKs' adaptive retry mode, for a send rate instead of a TCP window:
    /// a throttling answer remembers the rate that was too much (Wmax) and cuts to Beta x Wmax; from there the
    /// rate grows as C (t - K)^3 + Wmax, fast at first, flat around Wmax, then probing past it.
    /// K = cbrt(Wmax (1 - Beta) / C) is when the curve is back at Wmax. Constants as in the SDKs (and RFC 8312).
    /// </summary>
    public sealed class CubicRate
    {
        public const double Beta = 0.7;
        public const double ScaleConstant = 0.4;

        private double _lastMaxRate;
        private double _k;
        private DateTimeOffset _lastThrottle;

        /// <summary>The rate that was last throttled (requests per second).</summary>
        public double LastMaxRate => _lastMaxRate;

        /// <summary>A throttling answer at <paramref name="now"/> while sending at <paramref name="rate"/>; returns the cut rate.</summary>
        public double Throttled(double rate, DateTimeOffset now)
        {
            _lastMaxRate = rate;
            _k = Math.Pow(rate * (1 - Beta) / ScaleConstant, 1.0 / 3);
            _lastThrottle = now;
            return rate * Beta;
        }

        /// <summary>The curve's rate at <paramref name="now"/>.</summary>
        public double RateAt(DateTimeOffset now)
        {
            var t = (now - _lastThrottle).TotalSeconds - _k;
            return ScaleConstant * t * t * t + _lastMaxRate;
        }

        /// <summary>Moves the curve's origin forward: time spent idle neither grows nor shrinks the rate.</summary>
        public void Pause(TimeSpan idle) => _lastThrottle += idle;
    }
}
