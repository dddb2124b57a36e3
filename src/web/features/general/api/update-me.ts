import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { UpdateMeInput, UserDto } from "@contracts/me";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** Updates some of the person's fields (`PATCH /api/v1/me`). */
export function updateMe(input: UpdateMeInput): Promise<UserDto> {
  return api.patch<UserDto>("/me", input);
}

/**
 * Mutation for every General card. The answer replaces the `me` query, so the top bar and
 * every date on every open page follow the new name, zone and formats at once.
 */
export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateMe,
    onSuccess: async (user) => {
      queryClient.setQueryData(ME_QUERY_KEY, user);
      // Then refetch and refresh every query of the open pages (their dates re-render at once).
      await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    },
  });
}
