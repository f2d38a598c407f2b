using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Base;

namespace NlbTools.Engine
{
    /// <summary>
    /// Items that need a read before their turn (the diff's GetListenerAttribute), read concurrently ahead of it,
    /// and then handed to the pipeline thread in input order. So piped ids and stale copies cost one round trip
    /// per <see cref="Width"/> listeners instead of one each, in series. A read may fault: the next step looks at
    /// its task and reports the failure with its listener.
    /// </summary>
    internal sealed class ReadAhead
    {
        private readonly Queue<(Task? Read, Action Next)> _queue = new Queue<(Task?, Action)>();
        private readonly NlbCancellableCmdlet _cmdlet;

        public ReadAhead(NlbCancellableCmdlet cmdlet, int width)
        {
            _cmdlet = cmdlet;
            Width = Math.Max(1, width);
        }

        /// <summary>Reads in flight at most: input is held back while this many wait for theirs.</summary>
        public int Width { get; }

        /// <param name="read">Null when nothing has to be read; <paramref name="next"/> then runs in its turn.</param>
        public void Add(Task? read, Action next)
        {
            _queue.Enqueue((read, next));
            Run(drain: false);
        }

        /// <summary>Runs the items whose turn has come; waits only while Width are pending, or to drain at the end.</summary>
        public void Run(bool drain)
        {
            while (_queue.Count > 0)
            {
                var head = _queue.Peek();
                if (head.Read != null && !head.Read.IsCompleted)
                {
                    if (!drain && _queue.Count < Width) return; // the next item's read makes Width in flight
                    // Wait without the read's own exception: the next step reports it with its listener.
                    _cmdlet.Await(head.Read.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
                }
                _queue.Dequeue();
                head.Next();
            }
        }
    }
}
