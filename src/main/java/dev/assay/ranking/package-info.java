/**
 * Ranking policies against each other: the policy of iteration t against t-1 on the same prompts, judged pairwise in
 * both seat orders, summarised with a Bradley-Terry fit and Elo ratings with bootstrap intervals over prompts.
 */
package dev.assay.ranking;
